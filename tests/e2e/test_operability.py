"""What an operator and a new user see of one running stack (every service a real process,
tracing exported over OTLP/HTTP to a small receiver in this test):

- the README's "Try it" block, taken from README.md and run with bash, works as written (twice:
  each run files its own complaint) and its answers are right;
- that filing is one trace: the gateway's answer, intake's insert, the publication on Kafka and
  mediation's handling share one trace id, with spans from at least four processes;
- every service's ``/metrics`` carries the business and backbone metrics;
- events carry a zero-padded ``sequence`` (seen in the webhook deliveries of the filing's case).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from labornet_common.platform.broker import EmbeddedBroker, free_port, free_ports
from labornet_common.testing.api import get_once_present, sign_in
from labornet_common.testing.intake_support import complaint_body
from labornet_common.testing.stack import running_stack

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[2] / "README.md"
README_GATEWAY = "http://127.0.0.1:8000"
HOOKS: list[tuple[str, dict[str, Any]]] = []  # (traceparent header, CloudEvent) per delivery


@dataclass(frozen=True)
class ReceivedSpan:
    service: str
    name: str
    kind: int
    trace_id: str
    span_id: str
    parent_id: str
    attributes: dict[str, Any]


class _Collector(BaseHTTPRequestHandler):
    spans: list[ReceivedSpan]
    hooks: list[tuple[str, dict[str, Any]]]
    lock: threading.Lock

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path == "/hook":  # a webhook receiver too: the deliveries' trace context
            with self.lock:
                self.hooks.append((self.headers.get("traceparent", ""), json.loads(body)))
            self.send_response(204)
            self.end_headers()
            return
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        got = []
        for resource_spans in request.resource_spans:
            resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    attributes = {a.key: a.value.string_value or a.value.int_value for a in span.attributes if a.value}
                    got.append(
                        ReceivedSpan(
                            service=resource.get("service.name", "?"),
                            name=span.name,
                            kind=span.kind,
                            trace_id=span.trace_id.hex(),
                            span_id=span.span_id.hex(),
                            parent_id=span.parent_span_id.hex(),
                            attributes=attributes,
                        )
                    )
        with self.lock:
            self.spans.extend(got)
        answer = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_args: Any) -> None:
        pass


@contextmanager
def otlp_receiver() -> Iterator[tuple[str, list[ReceivedSpan], threading.Lock]]:
    """A minimal OTLP/HTTP trace receiver (protobuf) on a free loopback port; webhook
    deliveries to ``/hook`` land in ``HOOKS``."""
    spans: list[ReceivedSpan] = []
    lock = threading.Lock()
    HOOKS.clear()
    handler = type("Collector", (_Collector,), {"spans": spans, "lock": lock, "hooks": HOOKS})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", spans, lock
    finally:
        server.shutdown()
        server.server_close()


def readme_block() -> str:
    """The bash block of the README's "Try it" section, as written."""
    text = README.read_text()
    section = text[text.index("## Try it") :]
    match = re.search(r"```bash\n(.*?)```", section, re.S)
    assert match, "README's Try it has no bash block"
    block = match.group(1)
    assert "<" not in re.sub(r"<<|2>|>&", "", block.replace("->", "")), "a <placeholder> left in the block"
    assert README_GATEWAY in block
    return block


def json_documents(text: str) -> list[dict[str, Any]]:
    decoder = json.JSONDecoder()
    docs, at = [], 0
    while (at := _skip_space(text, at)) < len(text):
        doc, at = decoder.raw_decode(text, at)
        docs.append(doc)
    return docs


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def run_readme(gateway: str) -> list[dict[str, Any]]:
    script = readme_block().replace(README_GATEWAY, gateway)
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert not done.stderr.strip(), done.stderr
    return json_documents(done.stdout)


def sample(text: str, name: str, **labels: str) -> float | None:
    """One sample of a Prometheus text exposition (None when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        key, value = line.rsplit(" ", 1)
        metric, _, rest = key.partition("{")
        got = ",".join(sorted(p for p in rest.rstrip("}").split(",") if p))
        if metric == name and got == wanted:
            return float(value)
    return None


async def _scraped(url: str, name: str, ready: Any, **labels: str) -> str:
    """/metrics once ``ready(value)`` holds for the sample (the events take a moment)."""
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient(timeout=10) as client:
        while True:
            answer = await client.get(f"{url}/metrics")
            assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
            if ready(sample(answer.text, name, **labels)) or time.monotonic() > deadline:
                return answer.text
            await asyncio.sleep(0.5)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[str]:
    """A broker of each test's own: this module splits mediation's consumers out into a worker
    process that joins and leaves their consumer group, and the next stack must not wait on
    that group's rebalance."""
    embedded = EmbeddedBroker(port=free_port(), log_path=tmp_path / "broker.log").start()
    try:
        yield embedded.bootstrap_servers
    finally:
        embedded.stop()


@contextmanager
def worker(service: str, stack: Any, broker: str, workdir: Path) -> Iterator[str]:
    """``labornet worker SERVICE`` beside the stack's API process, on the same database."""
    port = free_ports(1)[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABORNET_")}
    env.update(
        LABORNET_ENVIRONMENT="test",
        LABORNET_KAFKA_BOOTSTRAP_SERVERS=broker,
        LABORNET_DATABASE_URL=stack.databases[service],
        LABORNET_DATA_DIR=str(workdir / f"{service}-worker"),
        LABORNET_LOG_JSON="true",
    )
    log = (workdir / f"{service}-worker.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "labornet_common.platform.cli", "worker", service, "--port", str(port)],
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            assert proc.wait(timeout=20) == 0  # SIGTERM stops the worker cleanly
        except subprocess.TimeoutExpired:
            proc.kill()
            raise


async def _until_ready(url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(timeout=5) as client:
        while True:
            try:
                answer = await client.get(f"{url}/readyz")
                if answer.status_code == 200 or time.monotonic() > deadline:
                    return answer.json()
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
            await asyncio.sleep(0.3)


def _trace_of_filing(spans: list[ReceivedSpan], case_id: str) -> str | None:
    for span in spans:
        if span.attributes.get("cloudevents.event_subject") == case_id and span.name.startswith("publish intake."):
            return span.trace_id
    return None


async def _delivery(case_id: str) -> str:
    """The traceparent header of the first webhook delivery about the case."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for traceparent, event in list(HOOKS):
            if event.get("subject") == case_id:
                return traceparent
        await asyncio.sleep(0.3)
    raise AssertionError(f"no webhook delivery about {case_id}: {len(HOOKS)} deliveries")


async def _one_trace(
    spans: list[ReceivedSpan], lock: threading.Lock, case_id: str, also: str = ""
) -> list[ReceivedSpan]:
    """The spans of the filing's trace, once mediation's handling of it (and a span named
    ``also``) has arrived."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with lock:
            seen = list(spans)
        trace_id = _trace_of_filing(seen, case_id)
        if trace_id is not None:
            mine = [s for s in seen if s.trace_id == trace_id]
            if {"labornet-gateway", "labornet-intake", "labornet-mediation", "labornet-wage-arrears"} <= {
                s.service for s in mine
            } and any(s.name == "process intake.complaints.v1" and s.service == "labornet-mediation" for s in mine):
                if also and not any(s.name == also for s in mine):
                    await asyncio.sleep(0.3)
                    continue
                return mine
        await asyncio.sleep(0.3)
    with lock:
        raise AssertionError(f"no complete trace for {case_id}; services seen: {sorted({s.service for s in spans})}")


async def test_try_it_trace_and_metrics(db_backend: str, broker: str, tmp_path: Path) -> None:
    with otlp_receiver() as (endpoint, spans, lock):
        env = {
            "OTEL_TRACES_EXPORTER": "otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
            "OTEL_BSP_SCHEDULE_DELAY": "200",
            "LABORNET_WEBHOOK_ALLOWED_HOSTS": endpoint.removeprefix("http://"),
            "LABORNET_WEBHOOK_POLL_INTERVAL_S": "0.1",
        }
        async with running_stack(
            backend=db_backend, broker=broker, workdir=tmp_path, extra_env=env, migrate_by_command=True
        ) as stack:
            async with httpx.AsyncClient(base_url=stack.gateway, timeout=15) as client:
                admin = await sign_in(client, "admin", "admin-demo")
                hook = await client.post(
                    "/api/v1/webhooks/endpoints",
                    headers=admin,
                    json={
                        "url": f"{endpoint}/hook",
                        "description": "trace test",
                        "event_types": ["cn.labornet.mediation.*"],
                        "region_scopes": ["4103"],
                    },
                )
                assert hook.status_code == 201, hook.text
                # The README is for a running system: a first filing waits out the consumer groups'
                # first join on a fresh broker (seconds on a loaded machine), not the README's loop.
                warm = await client.post("/api/v1/complaints", json=complaint_body())
                assert warm.status_code == 201, warm.text
                mediator = await sign_in(client, "mediator.luoyang", "mediator-demo-4103")
                opened = await get_once_present(
                    client, f"/api/v1/mediation/cases/{warm.json()['case_id']}", mediator, timeout_s=90
                )
                assert opened.status_code == 200, opened.text
            # 1. The README, as written, twice.
            first = await asyncio.to_thread(run_readme, stack.gateway)
            second = await asyncio.to_thread(run_readme, stack.gateway)
            for filed, mediation, tracking in (first, second):
                assert filed["route"] == "mediation" and filed["tracking_number"].startswith("410311-"), filed
                assert mediation["case_id"] == filed["case_id"] and mediation["status"] == "RECEIVED", mediation
                assert tracking["case_id"] == filed["case_id"], tracking
            assert first[0]["case_id"] != second[0]["case_id"]  # a fresh Idempotency-Key per run

            # 2. The filing is one trace across the processes.
            case_id = first[0]["case_id"]
            trace = await _one_trace(spans, lock, case_id)
            services = {s.service for s in trace}
            assert len(services) >= 4, services
            by_id = {s.span_id: s for s in trace}
            roots = [s for s in trace if s.parent_id not in by_id]
            assert len({s.trace_id for s in trace}) == 1
            gateway_server = [s for s in trace if s.service == "labornet-gateway" and s.kind == 2]  # SERVER
            assert [s.name for s in gateway_server] == ["POST /api/v1/{path:path}"]  # the proxy's route
            children = [s for s in trace if s.parent_id == gateway_server[0].span_id]
            # The rate limit is one upsert on the gateway's own table, inside the request's span.
            assert any(s.attributes.get("db.statement", "").startswith("INSERT INTO rate_limits") for s in children)
            (forwarded,) = [s for s in children if str(s.attributes.get("http.url", "")).endswith("/api/v1/complaints")]
            assert forwarded.kind == 3 and forwarded.attributes["http.status_code"] == 201  # CLIENT
            (intake_server,) = [s for s in trace if s.service == "labornet-intake" and s.kind == 2]
            assert intake_server.name == "POST /api/v1/complaints" and intake_server.parent_id == forwarded.span_id
            assert any(  # intake's insert of the complaint, in the request's trace
                s.service == "labornet-intake"
                and s.attributes.get("db.statement", "").startswith("INSERT INTO complaints")
                for s in trace
            )
            handled = next(s for s in trace if s.service == "labornet-mediation" and s.kind == 5)  # CONSUMER
            published = by_id[handled.parent_id]
            assert published.service == "labornet-intake" and published.kind == 4  # PRODUCER
            # ... on to the webhook delivery of mediation's event about the case.
            delivered = await _delivery(case_id)
            assert delivered.split("-")[1] == trace[0].trace_id, delivered
            # The delivered CloudEvent carries its sequence zero-padded (sequence extension).
            sequences = [e["sequence"] for _, e in list(HOOKS) if e.get("subject") == case_id]
            assert sequences and all(re.fullmatch(r"\d{19}", q) for q in sequences), sequences
            assert sorted(sequences) == sorted(sequences, key=int)
            trace = await _one_trace(spans, lock, case_id, also="webhook deliver")
            by_id = {s.span_id: s for s in trace}
            roots = [s for s in trace if s.parent_id not in by_id]
            # The only span without a parent in the trace is the gateway's answer to the POST.
            assert [r.service for r in roots] == ["labornet-gateway"], [(r.service, r.name) for r in roots]
            print(f"\ntrace {trace[0].trace_id}: {len(trace)} spans from {sorted(services)}")

            # 3. Business and backbone metrics on every service's /metrics.
            intake = await _scraped(
                stack.urls["intake"], "labornet_open_cases", lambda v: v, service="intake", stage="ROUTED"
            )
            assert (sample(intake, "labornet_open_cases", service="intake", stage="ROUTED") or 0) >= 2
            assert sample(intake, "labornet_outbox_pending_events", service="intake") == 0
            mediation = await _scraped(
                stack.urls["mediation"], "labornet_open_cases", lambda v: v, service="mediation", stage="RECEIVED"
            )
            assert (sample(mediation, "labornet_open_cases", service="mediation", stage="RECEIVED") or 0) >= 2
            # Read up to the end of the topic: no lag once the filings are handled. The gauge is
            # reported every second while events flow, then up to broker_watch_idle_max_s apart:
            # the filings may be handled before the next report.
            lag = {"group": "mediation.events", "topic": "intake.complaints.v1"}
            mediation = await _scraped(stack.urls["mediation"], "labornet_consumer_lag_events", lambda v: v == 0, **lag)
            assert sample(mediation, "labornet_consumer_lag_events", **lag) == 0
            assert "# TYPE labornet_clocks gauge" in mediation  # 15 days left: none near its limit yet
            gateway = await _scraped(
                stack.gateway, "labornet_open_cases", lambda v: v, service="network", stage="mediation"
            )
            assert (sample(gateway, "labornet_open_cases", service="network", stage="mediation") or 0) >= 2
            assert sample(gateway, "labornet_webhook_deliveries", status="failed") == 0
            assert "# TYPE labornet_webhook_delivery_failures_total counter" in gateway
            for name in ("arbitration", "wage-arrears"):
                text = await _scraped(stack.urls[name], "labornet_open_cases", lambda v: True)
                assert "labornet_metrics_collect_failures_total{" not in text, name

            # 4. A split-out worker answers health, readiness and metrics of its own.
            with worker("mediation", stack, broker, tmp_path) as url:
                ready = await _until_ready(url)
                assert ready["ready"] and ready["service"] == "mediation-worker", ready
                async with httpx.AsyncClient(timeout=5) as client:
                    assert (await client.get(f"{url}/healthz")).json() == {
                        "status": "alive",
                        "service": "mediation-worker",
                    }
                text = await _scraped(url, "labornet_open_cases", lambda v: v, service="mediation", stage="RECEIVED")
                assert (sample(text, "labornet_open_cases", service="mediation", stage="RECEIVED") or 0) >= 2
                assert sample(text, "labornet_outbox_pending_events", service="mediation") is not None
