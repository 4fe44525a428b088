"""Division codes against the shipped NBS 2023 list.

Seed regions: 洛阳 4103, 威海 3710, 福州鼓楼 350102.
"""

import gzip
from pathlib import Path

import pytest

from labornet_common.standards import StandardError, TownshipKind, division_registry
from labornet_common.standards.divisions import (
    DATA_DIR,
    DivisionRegistry,
    canonical_forms,
    divisions,
    is_within,
    township_kind,
)


@pytest.fixture(scope="module")
def registry() -> DivisionRegistry:
    return DivisionRegistry()


def test_shared_registry_is_one_object():
    assert divisions() is divisions()
    assert division_registry is divisions


def test_shipped_files_are_present():
    names = {path.name for path in Path(DATA_DIR).iterdir()}
    assert {"provinces.csv", "cities.csv", "areas.csv", "streets.csv.gz", "SOURCE.md"} <= names
    with gzip.open(Path(DATA_DIR) / "streets.csv.gz", "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert lines[0] == "code,name,areaCode,provinceCode,cityCode"
    assert len(lines) == 41353


@pytest.mark.parametrize(
    ("code", "name", "level", "parent", "full_name"),
    [
        ("41", "河南省", "province", None, "河南省"),
        ("4103", "洛阳市", "city", "41", "河南省 洛阳市"),
        ("410311", "洛龙区", "county", "4103", "河南省 洛阳市 洛龙区"),
        ("410307", "偃师区", "county", "4103", "河南省 洛阳市 偃师区"),
        ("410311002", "开元路街道", "township", "410311", "河南省 洛阳市 洛龙区 开元路街道"),
        ("371082", "荣成市", "county", "3710", "山东省 威海市 荣成市"),
        ("350102100", "洪山镇", "township", "350102", "福建省 福州市 鼓楼区 洪山镇"),
        # Municipalities: the 市辖区 / 县 grouping rows stay out of the full name.
        ("110105", "朝阳区", "county", "1101", "北京市 朝阳区"),
        ("500229", "城口县", "county", "5002", "重庆市 城口县"),
        # A county administered directly by the province.
        ("419001", "济源市", "county", "4190", "河南省 济源市"),
        # A city without counties is listed again at county level; the name is not repeated.
        ("441900", "东莞市", "county", "4419", "广东省 东莞市"),
        ("441900003", "东城街道", "township", "441900", "广东省 东莞市 东城街道"),
    ],
)
def test_get(registry, code, name, level, parent, full_name):
    division = registry.get(code)
    assert division is not None
    assert (division.code, division.name, division.level) == (code, name, level)
    assert (division.parent, division.full_name) == (parent, full_name)


def test_grouping_row_itself_keeps_its_name(registry):
    assert registry.get("1101").full_name == "北京市 市辖区"


@pytest.mark.parametrize(
    ("code", "name", "first_street"),
    [
        # The statistical 功能区 codes of domain-rules §6 are in areas.csv, with their streets.
        ("371071", "威海火炬高技术产业开发区", "怡园街道"),
        ("410371", "洛阳高新技术产业开发区", "瀛洲街道"),
    ],
)
def test_functional_areas_are_in_the_list(registry, code, name, first_street):
    division = registry.get(code)
    assert (division.name, division.level, division.parent) == (name, "county", code[:4])
    assert registry.children(code)[0].name == first_street


@pytest.mark.parametrize(
    ("padded", "canonical"),
    [("410000", "41"), ("410300", "4103"), ("350102100000", "350102100"), ("410311000", "410311")],
)
def test_padded_codes_are_accepted(registry, padded, canonical):
    assert registry.get(padded).code == canonical


def test_canonical_forms():
    assert canonical_forms("410300") == ["410300", "4103"]
    assert canonical_forms("441900") == ["441900", "4419"]
    assert canonical_forms("410311002") == ["410311002"]
    assert canonical_forms("410311002001") == []  # a village: no shorter form


@pytest.mark.parametrize("code", ["999999", "410399", "410311999", "4199", "98"])
def test_unknown_codes(registry, code):
    assert registry.get(code) is None
    assert not registry.exists(code)
    with pytest.raises(StandardError) as caught:
        registry.validate_division(code)
    assert caught.value.code == "division.unknown"


@pytest.mark.parametrize("code", ["4103x1", "41031", "4103110", "", "４１０３", None])
def test_malformed_codes(registry, code):
    assert registry.get(code) is None
    with pytest.raises(StandardError) as caught:
        registry.validate_division(code)
    assert caught.value.code == "division.malformed"


def test_validate_division_levels(registry):
    assert registry.validate_division("410311", levels=["county"]).name == "洛龙区"
    assert registry.validate_division("350102100", levels=("county", "township")).level == "township"
    with pytest.raises(StandardError) as caught:
        registry.validate_division("4103", levels=["county", "township"])
    assert caught.value.code == "division.level"
    assert caught.value.details == {"expected": ["county", "township"], "actual": "city"}
    assert caught.value.message_zh == "行政区划代码的级别不符合要求"
    with pytest.raises(ValueError, match="unknown division levels"):
        registry.validate_division("4103", levels=["village"])


def test_county_of(registry):
    assert registry.county_of("350102100").code == "350102"
    assert registry.county_of("410311").code == "410311"
    assert registry.county_of("4103") is None
    assert registry.county_of("41") is None
    assert registry.county_of("999999") is None


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("350102001", TownshipKind.SUBDISTRICT),  # 鼓东街道
        ("350102099", TownshipKind.SUBDISTRICT),
        ("350102100", TownshipKind.TOWN),  # 洪山镇
        ("410323199", TownshipKind.TOWN),
        ("410323200", TownshipKind.TOWNSHIP),
        ("410323399", TownshipKind.TOWNSHIP),
        ("110115403", TownshipKind.COMBINED),  # 北京经济技术开发区
        ("110115599", TownshipKind.COMBINED),
        ("110115600", None),
        ("350102100201", TownshipKind.TOWN),  # a 12-digit village code: its township part
    ],
)
def test_township_kind(registry, code, kind):
    assert township_kind(code) is kind
    assert registry.township_kind(code) is kind


def test_township_kind_needs_a_township_code():
    with pytest.raises(StandardError) as caught:
        township_kind("350102")
    assert caught.value.code == "division.level"


@pytest.mark.parametrize(
    ("code", "prefix", "inside"),
    [
        ("410311002", "4103", True),
        ("410311", "4103", True),
        ("4103", "4103", True),
        ("410311", "41", True),
        ("410311", "410300", True),  # a scope written as a padded 6-digit city code
        ("350102100", "350102", True),
        ("350102100201", "350102100", True),
        ("441900003", "441900", True),
        ("371071004", "3710", True),
        ("410311", "3710", False),
        ("4103", "410311", False),  # a city is not inside one of its counties
        ("350103001", "350102", False),
        ("41", "4103", False),
    ],
)
def test_is_within(registry, code, prefix, inside):
    assert is_within(code, prefix) is inside
    assert registry.is_within(code, prefix) is inside


def test_is_within_refuses_malformed_scopes():
    with pytest.raises(StandardError):
        is_within("410311", "410")


def test_children(registry):
    luoyang = [child.code for child in registry.children("4103")]
    assert luoyang[:4] == ["410302", "410303", "410304", "410305"]
    assert "410371" in luoyang and len(luoyang) == 15
    gulou = registry.children("350102")
    assert [child.code for child in gulou] == [f"350102{n:03d}" for n in range(1, 10)] + ["350102100"]
    assert gulou[0].full_name == "福建省 福州市 鼓楼区 鼓东街道"
    assert [child.name for child in registry.children("11")] == ["市辖区"]
    assert registry.children("350102100") == []
    assert registry.children("999999") == []


def test_search(registry):
    found = registry.search("高新", "4103")
    assert [d.code for d in found] == ["410371"]
    towns = registry.search("洪山", within="350102", levels=["township"])
    assert [(d.code, d.name) for d in towns] == [("350102100", "洪山镇")]
    assert [d.code for d in registry.search("洛阳", levels=["city"])] == ["4103"]
    assert registry.search("市辖区") == []  # grouping rows are not places
    assert registry.search("  ") == []
    assert len(registry.search("街道", limit=5)) == 5


def test_townships_are_loaded_only_when_needed():
    fresh = DivisionRegistry()
    assert fresh.get("410311").name == "洛龙区"
    assert fresh.children("4103")
    assert fresh.search("洛龙", levels=["county"])
    assert fresh._townships is None
    assert fresh.get("410311002").name == "开元路街道"
    assert fresh._townships is not None


def test_registry_reads_from_its_data_dir(tmp_path):
    (tmp_path / "provinces.csv").write_text('code,name\n41,"河南省"\n', encoding="utf-8")
    (tmp_path / "cities.csv").write_text("code,name,provinceCode\n", encoding="utf-8")
    (tmp_path / "areas.csv").write_text("code,name,cityCode,provinceCode\n", encoding="utf-8")
    small = DivisionRegistry(tmp_path)
    assert small.get("41").name == "河南省"
    assert small.get("4103") is None
