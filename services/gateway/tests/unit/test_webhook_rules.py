import random
from datetime import timedelta

import pytest

from labornet_gateway.webhooks.matching import region_matches, region_of, type_matches
from labornet_gateway.webhooks.schedule import MAX_ATTEMPTS, next_delay, total_span
from labornet_gateway.webhooks.ssrf import UnsafeTarget, check_target, parse_target


def test_schedule_spans_about_three_days_with_bounded_jitter() -> None:
    assert MAX_ATTEMPTS == 10
    assert total_span() == timedelta(hours=75, minutes=35, seconds=5)
    rng = random.Random(7)
    for attempt, base in [(1, 5), (2, 300), (9, 86400)]:
        delay = next_delay(attempt, rng=rng).total_seconds()
        assert base * 0.8 <= delay <= base * 1.2
    assert next_delay(10) is None and next_delay(0) is None


def test_event_type_patterns() -> None:
    assert type_matches("cn.labornet.arbitration.award.issued.v1", ["cn.labornet.arbitration.*"])
    assert not type_matches("cn.labornet.mediation.case.opened.v1", ["cn.labornet.arbitration.*"])
    assert type_matches("anything", ["*"])
    assert not type_matches("cn.labornet.arbitrationx.y", ["cn.labornet.arbitration.x"])


def test_region_scopes() -> None:
    assert region_of({"division_code": "350102", "region_code": "410311"}) == "410311"
    assert region_of({"target_division": "371002001"}) == "371002001"
    assert region_of({"nothing": 1}) is None
    assert region_matches("410311", ["4103"])
    assert not region_matches("350102", ["4103"])
    assert not region_matches(None, ["4103"])  # unknown region: withheld, never leaked
    assert region_matches(None, ["*"])


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://169.254.169.254/latest",
        "https://[::1]/x",
        "https://[::ffff:127.0.0.1]/x",
        "https://192.168.1.10/x",
        "https://0.0.0.0/x",
        "https://localhost/x",
    ],
)
async def test_ssrf_guard_refuses_internal_targets(url: str) -> None:
    with pytest.raises(UnsafeTarget):
        await check_target(url, frozenset())


def test_ssrf_guard_wants_https_and_no_credentials() -> None:
    with pytest.raises(UnsafeTarget, match="https"):
        parse_target("http://court.example.cn/hook", frozenset())
    with pytest.raises(UnsafeTarget, match="credentials"):
        parse_target("https://user:pw@court.example.cn/hook", frozenset())
    assert parse_target("http://127.0.0.1:9999/h", frozenset({"127.0.0.1:9999"})) == ("127.0.0.1", 9999, True)


async def test_allow_listed_host_passes() -> None:
    await check_target("http://127.0.0.1:8123/hook", frozenset({"127.0.0.1:8123"}))
