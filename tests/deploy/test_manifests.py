"""The deployment files agree with their schemas and with the code. Offline: no docker, no
cluster, no network.

* docker-compose.yml against the Compose Specification schema (schemas/compose-spec.json);
  every Kubernetes object of the base and of each overlay against kubernetes-validate's schemas
  in strict mode; custom resources against the subsets in deploy/k8s/crds/.
* Every service that labornet_common.platform.registry discovers has its migration, API and worker in
  both; ports, probe paths, LABORNET_* names, topics, image and database names agree with the
  settings classes, the FastAPI apps and labornet_common.platform.bus.topics; each container's
  environment loads as production settings.

The kustomizations keep to four features (resources, namespace, images, RFC 6902 patches).
``build`` implements those and refuses anything else, so no kustomize binary is needed;
``test_builder_matches_kubectl_kustomize`` compares it with the real one where kubectl exists.
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy.engine import make_url
from starlette.routing import Match

from labornet_common.platform import registry
from labornet_common.platform.app import build_app
from labornet_common.platform.bus import topics
from labornet_common.platform.db import create_engine
from labornet_common.platform.runtime import ServiceSpec
from labornet_common.platform.settings import BaseServiceSettings

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
CRDS = K8S / "crds"
SCHEMAS = Path(__file__).parent / "schemas"
KUSTOMIZATIONS = [K8S / "base", *sorted(p for p in (K8S / "overlays").iterdir() if p.is_dir())]

IMAGE = "labornet"
# The oldest Kubernetes the manifests support (PodDisruptionBudget.unhealthyPodEvictionPolicy
# is GA in 1.31) and the newest kubernetes-validate knows, so a removed API is caught too.
KUBERNETES_VERSIONS = ("1.31", kubernetes_validate.latest_version())
# libpq's variables, honoured by asyncpg: the only non-LaborNet names a container may get.
LIBPQ_ENV = {"PGPASSWORD", "PGSSLMODE"}
# OpenTelemetry's standard variables, read by labornet_common.platform.tracing.
OTEL_ENV = {"OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT"}
SECRET_NAME = re.compile(r"SECRET|PASSWORD|KEYRING|_KEY$|_PEM$")
# Connections kept free of the services' pools: superuser_reserved_connections, replication,
# an operator's psql.
RESERVED_CONNECTIONS = 10

Manifest = dict[str, Any]


# --- a small kustomize -----------------------------------------------------------------------

SUPPORTED_FIELDS = {"apiVersion", "kind", "namespace", "resources", "images", "patches"}
CLUSTER_SCOPED = {
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
    "IngressClass",
}


def build(directory: Path) -> list[Manifest]:
    """The objects `kustomize build directory` renders, for the features named above."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unsupported = set(kustomization) - SUPPORTED_FIELDS
    if unsupported:
        raise ValueError(f"{directory}: kustomization fields not handled here: {unsupported}")
    objects: list[Manifest] = []
    for entry in kustomization.get("resources", []):
        path = (directory / entry).resolve()
        if path.is_dir():
            objects += build(path)
        else:
            objects += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    for patch in kustomization.get("patches", []):
        _apply_patch(objects, patch, directory)
    if namespace := kustomization.get("namespace"):
        for obj in objects:
            if obj["kind"] == "Namespace":
                obj["metadata"]["name"] = namespace  # kustomize renames the namespace itself
            elif obj["kind"] not in CLUSTER_SCOPED:
                obj["metadata"]["namespace"] = namespace
    for rule in kustomization.get("images", []):
        for container in _containers(objects):
            name, suffix = split_image(container.get("image", ""))
            if name == rule["name"]:
                suffix = f":{rule['newTag']}" if "newTag" in rule else suffix
                suffix = f"@{rule['digest']}" if "digest" in rule else suffix
                container["image"] = rule.get("newName", name) + suffix
    return objects


def _apply_patch(objects: list[Manifest], patch: dict[str, Any], where: Path) -> None:
    if set(patch) != {"target", "patch"} or set(patch["target"]) - {"kind", "name"}:
        raise ValueError(f"{where}: only inline patches with a kind/name target: {patch}")
    operations = yaml.safe_load(patch["patch"])
    if not isinstance(operations, list):
        raise ValueError(f"{where}: only RFC 6902 (JSON) patches are handled: {patch}")
    target = patch["target"]
    matched = [
        o
        for o in objects
        if o["kind"] == target.get("kind", o["kind"])
        and o["metadata"]["name"] == target.get("name", o["metadata"]["name"])
    ]
    if not matched:
        raise ValueError(f"{where}: the patch target matches nothing: {target}")
    for obj in matched:
        for operation in operations:
            _json_patch(obj, operation)


def _json_patch(document: Any, operation: dict[str, Any]) -> None:
    op = operation["op"]
    if op not in ("add", "replace", "remove"):
        raise ValueError(f"patch operation not handled here: {op}")
    path = [t.replace("~1", "/").replace("~0", "~") for t in operation["path"].split("/")[1:]]
    parent = document
    for token in path[:-1]:
        parent = parent[int(token)] if isinstance(parent, list) else parent[token]
    last: Any = path[-1]
    if isinstance(parent, list):
        last = len(parent) if last == "-" else int(last)
        if op == "add":
            parent.insert(last, operation["value"])
            return
    elif op != "add" and last not in parent:
        raise ValueError(f"the patch path does not exist: {operation['path']}")
    if op == "remove":
        del parent[last]
    else:
        parent[last] = operation["value"]


def _containers(node: Any) -> Iterator[dict[str, Any]]:
    # Like kustomize's image transformer: any entry of any containers/initContainers list.
    if isinstance(node, list):
        for item in node:
            yield from _containers(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("containers", "initContainers") and isinstance(value, list):
                yield from value
            yield from _containers(value)


def split_image(image: str) -> tuple[str, str]:
    """("registry:5000/team/app", ":1.2") from "registry:5000/team/app:1.2" (or "@sha256:…")."""
    if "@" in image:
        name, digest = image.split("@", 1)
        return name, "@" + digest
    name, sep, tag = image.rpartition(":")
    return (name, ":" + tag) if sep and "/" not in tag else (image, "")


# --- reading the files -----------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    path: Path
    objects: list[Manifest]

    @property
    def kustomization(self) -> dict[str, Any]:
        return yaml.safe_load((self.path / "kustomization.yaml").read_text())

    def find(self, kind: str, name: str) -> Manifest:
        found = [o for o in self.objects if o["kind"] == kind and o["metadata"]["name"] == name]
        assert len(found) == 1, f"{self.path.name}: expected one {kind}/{name}, got {len(found)}"
        return found[0]

    def all(self, kind: str) -> list[Manifest]:
        return [o for o in self.objects if o["kind"] == kind]

    def pods(self) -> Iterator[tuple[Manifest, dict[str, Any]]]:
        """(Deployment or Job, its pod spec)."""
        for obj in self.all("Deployment") + self.all("Job"):
            yield obj, obj["spec"]["template"]["spec"]

    def labornet_containers(self) -> Iterator[tuple[Manifest, dict[str, Any], str, str]]:
        """(object, container, role, service) of each container running `labornet ROLE SVC`."""
        for obj, pod in self.pods():
            for container in pod["containers"]:
                role, service = container["args"]
                yield obj, container, role, service

    def api_container(self, service: str) -> dict[str, Any]:
        return self.find("Deployment", service)["spec"]["template"]["spec"]["containers"][0]

    def env(self, container: dict[str, Any]) -> dict[str, Any]:
        """Name -> value (or valueFrom) of all a container gets, its ConfigMaps included."""
        env: dict[str, Any] = {}
        for source in container.get("envFrom", []):
            assert set(source) == {"configMapRef"}, "envFrom from ConfigMaps only: names visible"
            env.update(self.find("ConfigMap", source["configMapRef"]["name"])["data"])
        for item in container.get("env", []):
            env[item["name"]] = item.get("value", item.get("valueFrom"))
        return env


def settings_env_names(settings_cls: type[BaseServiceSettings]) -> set[str]:
    """The LABORNET_* names a settings class reads: env_prefix + field name (or its alias)."""
    prefix = settings_cls.model_config.get("env_prefix", "")
    return {
        (field.validation_alias if isinstance(field.validation_alias, str) else prefix + name).upper()
        for name, field in settings_cls.model_fields.items()
    }


def default_port(spec: ServiceSpec) -> int:
    # The class default, not an instance: a LABORNET_PORT in the test's environment must not count.
    return int(spec.settings_cls.model_fields["port"].default)


def db_name(service: str) -> str:
    """A service's PostgreSQL database and role: its name with '_' for '-'."""
    return service.replace("-", "_")


def upstream_fields(specs: dict[str, ServiceSpec]) -> dict[str, str]:
    """LABORNET_<SERVICE>_URL -> service, for every backend the gateway's settings front."""
    settings = specs["gateway"].settings_cls
    backends = settings().upstreams()  # type: ignore[attr-defined]
    assert sorted(backends) == sorted(n for n in specs if n != "gateway")
    prefix = settings.model_config["env_prefix"]
    fields = {name: name.replace("-", "_") + "_url" for name in backends}
    assert set(fields.values()) <= set(settings.model_fields)
    return {(prefix + field).upper(): name for name, field in fields.items()}


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """Whether a Kubernetes label selector selects a pod with these labels."""
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        value, operator = labels.get(expression["key"]), expression["operator"]
        if (
            (operator == "In" and value not in expression["values"])
            or (operator == "NotIn" and value in expression["values"])
            or (operator == "Exists" and value is None)
        ):
            return False
    return True


def interpolate(value: str, required: Any = lambda name: "") -> str:
    """A compose value with ${VAR:-default} as its default and ${VAR:?…} as required(VAR)."""

    def one(match: re.Match[str]) -> str:
        return match[2] if match[2] is not None else required(match[1])

    return re.sub(r"\$\{([A-Z0-9_]+)(?::-([^}]*)|[^}]*)\}", one, str(value))


def compose_labornet(compose: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Compose service -> (role, LaborNet service) for each container of the LaborNet image."""
    return {
        name: tuple(service["command"])  # type: ignore[misc]
        for name, service in compose["services"].items()
        if split_image(interpolate(service.get("image", "")))[0] == IMAGE
    }


def env_example() -> dict[str, str]:
    text = (REPO / "deploy" / "compose" / "env.example").read_text()
    return dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, re.MULTILINE))


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    matches = re.finditer(r"^\s*([A-Za-z]+)\s+(.*)$", joined, re.MULTILINE)
    return [(m[1].upper(), m[2].strip()) for m in matches]


def final_stage(dockerfile: str) -> dict[str, str]:
    """The last stage's instructions (the last one of each kind)."""
    instructions = dockerfile_instructions(dockerfile)
    start = max(i for i, (op, _) in enumerate(instructions) if op == "FROM")
    return dict(instructions[start:])


def compose_errors(document: dict[str, Any]) -> list[str]:
    schema = json.loads((SCHEMAS / "compose-spec.json").read_text())
    # The file declares draft 2019-09 by a URI spelling jsonschema does not map: say it here.
    validator = jsonschema.Draft201909Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def is_custom_resource(obj: Manifest) -> bool:
    group = obj["apiVersion"].rpartition("/")[0]
    return "." in group and not group.endswith(".k8s.io")


def crd_schema(obj: Manifest) -> Path:
    group, version = obj["apiVersion"].split("/")
    return CRDS / f"{group}_{version}_{obj['kind'].lower()}.json"


def max_overflow(pool_size: int) -> int:
    """Connections a pool opens beyond pool_size under load, as the services build it."""
    engine = create_engine("postgresql+asyncpg://u@db/x", pool_size=pool_size)
    return int(engine.sync_engine.pool._max_overflow)  # type: ignore[attr-defined]


def serves(app: Any, path: str) -> bool:
    """Whether GET path reaches a route of its own (not, say, a proxy's catch-all)."""
    scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "headers": []}
    for route in app.router.routes:
        if route.matches(scope)[0] == Match.FULL:
            return getattr(route, "path", path) == path
    return False


@functools.cache
def stand_in(name: str) -> str:
    """A well-formed, obviously fake value for a secret the deployment takes from outside."""
    key = base64.b64encode(bytes(range(32))).decode()
    if name.endswith("PII_KEYRING"):
        return f"standin:{key}"
    if name.endswith("PII_ACTIVE_KEY"):
        return "standin"
    if name.endswith("PII_INDEX_KEY"):
        return base64.b64encode(bytes(range(32, 64))).decode()
    if name.endswith("WEBHOOK_SECRETS"):
        return "whsec_" + key
    if name.endswith("_PEM"):
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    return "stand-in-" + "x" * 55


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def specs() -> dict[str, ServiceSpec]:
    found = registry.service_specs()
    assert found, "no service is installed (entry-point group labornet.services)"
    return found


@pytest.fixture(scope="session")
def apps(specs: dict[str, ServiceSpec]) -> dict[str, Any]:
    """Each service's FastAPI app. Building one starts nothing: the lifespan never runs."""
    return {name: build_app(spec, spec.settings_cls()) for name, spec in specs.items()}


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


@pytest.fixture(scope="session")
def dockerfile() -> str:
    return (REPO / "Dockerfile").read_text()


_BUILT: dict[Path, list[Manifest]] = {}


@pytest.fixture(params=KUSTOMIZATIONS, ids=lambda p: str(p.relative_to(K8S)))
def rendered(request: pytest.FixtureRequest) -> Rendered:
    """Each kustomization's output (the base and every overlay); a fresh copy per test."""
    path = request.param
    if path not in _BUILT:
        _BUILT[path] = build(path)
    return Rendered(path, copy.deepcopy(_BUILT[path]))


@pytest.fixture
def load_settings(monkeypatch: pytest.MonkeyPatch, dockerfile: str) -> Any:
    """Settings as a container would load them: the image's ENV, then the container's own."""
    image_env = dict(re.findall(r"(\w+)=(\S+)", final_stage(dockerfile)["ENV"]))

    def load(settings_cls: type[BaseServiceSettings], env: dict[str, str]) -> BaseServiceSettings:
        for name in [n for n in os.environ if n.startswith("LABORNET_")]:
            monkeypatch.delenv(name)
        for name, value in {**image_env, **env}.items():
            if name not in OTEL_ENV:  # tracing is checked on its own; build_app here must not switch it on for the run
                monkeypatch.setenv(name, value)
        return settings_cls()

    return load


# --- the checkers themselves -----------------------------------------------------------------


def test_validators_reject_broken_files(compose: dict[str, Any]) -> None:
    base = Rendered(K8S / "base", build(K8S / "base"))
    base.api_container("gateway")["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(base.find("Deployment", "gateway"), "1.31", strict=True)

    topic = base.find("KafkaTopic", topics.INTAKE)
    topic["spec"]["partitions"] = "12"
    schema = json.loads(crd_schema(topic).read_text())
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(topic))

    broken = copy.deepcopy(compose)
    broken["services"]["gateway"]["depends_on"]["intake"] = {"conditon": "service_healthy"}
    assert compose_errors(broken)


def test_builder_matches_kubectl_kustomize(rendered: Rendered) -> None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: the builder is not compared with kustomize")
    output = subprocess.run(
        [kubectl, "kustomize", str(rendered.path)], capture_output=True, text=True, check=True
    ).stdout

    def key(o: Manifest) -> tuple[str, str, str]:
        return o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]

    assert {key(o): o for o in rendered.objects} == {key(o): o for o in yaml.safe_load_all(output) if o}


# --- the image -------------------------------------------------------------------------------


def test_dockerfile_builds_a_small_non_root_image(
    dockerfile: str, specs: dict[str, ServiceSpec], apps: dict[str, Any]
) -> None:
    instructions = dockerfile_instructions(dockerfile)
    froms = [args for op, args in instructions if op == "FROM"]
    assert len(froms) >= 2 and all(f.startswith("${PYTHON_IMAGE}") for f in froms)
    assert ("ARG", "PYTHON_IMAGE=python:3.11-slim") in instructions
    final = final_stage(dockerfile)
    stage_text = dockerfile.split("AS runtime", 1)[1]
    assert not re.search(r"apt-get|apk |gcc|build-essential|pip (install|wheel)", stage_text)
    assert final["COPY"] == "--from=build /opt/venv /opt/venv"
    assert final["USER"] == "10001:10001"
    assert json.loads(final["ENTRYPOINT"]) == ["labornet"]
    assert json.loads(final["CMD"]) == ["serve", "gateway"]
    assert int(final["EXPOSE"]) == default_port(specs["gateway"])
    assert f'org.opencontainers.image.title="{IMAGE}"' in final["LABEL"]

    check = json.loads(final["HEALTHCHECK"].partition("CMD")[2])
    assert check[0] == "python"
    path = re.search(r"'(/[a-z/]+)'", check[-1])[1]
    assert all(serves(app, path) for app in apps.values()), f"{path}: not served by every API"

    image_env = re.findall(r"(\w+)=", final["ENV"])
    labornet = {name for name in image_env if name.startswith("LABORNET_")}
    assert labornet <= settings_env_names(BaseServiceSettings)


# --- docker-compose.yml ----------------------------------------------------------------------


def test_compose_file_matches_the_compose_specification(compose: dict[str, Any]) -> None:
    assert compose_errors(compose) == []


def test_compose_runs_migration_api_and_worker_per_service(
    compose: dict[str, Any], specs: dict[str, ServiceSpec]
) -> None:
    services = compose["services"]
    assert {svc for _, svc in compose_labornet(compose).values()} == set(specs)
    for name in specs:
        assert services[f"{name}-migrate"]["command"] == ["migrate", name]
        assert services[name]["command"] == ["serve", name]
        assert services[f"{name}-worker"]["command"] == ["worker", name]
        api = services[name]["environment"]
        assert (api["LABORNET_RUN_RELAY"], api["LABORNET_RUN_CONSUMERS"]) == ("false", "false")
        for runner in (name, f"{name}-worker"):
            assert services[runner]["depends_on"][f"{name}-migrate"] == {"condition": "service_completed_successfully"}


def test_compose_waits_for_health_and_completion(compose: dict[str, Any]) -> None:
    services = compose["services"]
    labornet = compose_labornet(compose)
    for name, service in services.items():
        if name in labornet:
            role = labornet[name][0]
            # The image's HEALTHCHECK asks /readyz/self, and only `serve` answers HTTP.
            assert ("healthcheck" in service) == (role != "serve"), name
            assert (service.get("restart") == "no") == (role == "migrate"), name
        for dependency, condition in service.get("depends_on", {}).items():
            target = services[dependency]
            if target.get("restart") == "no":
                assert condition == {"condition": "service_completed_successfully"}, name
            else:
                assert condition == {"condition": "service_healthy"}, name
                check = target.get("healthcheck", {"disable": dependency not in labornet})
                assert not check.get("disable"), f"{name} waits for {dependency}: no healthcheck"


def test_compose_publishes_only_the_gateway(compose: dict[str, Any], specs: dict[str, ServiceSpec]) -> None:
    published = {name: s["ports"] for name, s in compose["services"].items() if s.get("ports")}
    assert list(published) == ["gateway"]
    (mapping,) = published["gateway"]
    host_port, container_port = interpolate(mapping).rsplit(":", 2)[-2:]
    assert int(container_port) == int(host_port) == default_port(specs["gateway"])


def test_compose_ports_and_upstreams_match_the_settings(compose: dict[str, Any], specs: dict[str, ServiceSpec]) -> None:
    services = compose["services"]
    for runner, (_, name) in compose_labornet(compose).items():
        assert default_port(specs[name]) == specs[name].default_port
        assert services[runner]["environment"]["LABORNET_PORT"] == str(default_port(specs[name]))
    for upstream, name in upstream_fields(specs).items():
        expected = f"http://{name}:{default_port(specs[name])}"
        assert services["gateway"]["environment"][upstream] == expected


def test_compose_env_names_are_settings_fields(compose: dict[str, Any], specs: dict[str, ServiceSpec]) -> None:
    for runner, (_, name) in compose_labornet(compose).items():
        names = set(compose["services"][runner]["environment"])
        unknown = names - settings_env_names(specs[name].settings_cls) - LIBPQ_ENV - OTEL_ENV
        assert not unknown, f"{runner}: not settings of {name}: {unknown}"
    every_setting = set().union(*(settings_env_names(s.settings_cls) for s in specs.values()))
    assert {n for n in env_example() if n.startswith("LABORNET_")} <= every_setting


def test_compose_environments_load_as_production_settings(
    compose: dict[str, Any], specs: dict[str, ServiceSpec], load_settings: Any
) -> None:
    for runner, (role, name) in compose_labornet(compose).items():
        declared = compose["services"][runner]["environment"]
        env = {name: interpolate(value, stand_in) for name, value in declared.items()}
        settings = load_settings(specs[name].settings_cls, env)
        assert settings.environment == "production" and settings.host == "0.0.0.0", runner
        if role == "serve":
            build_app(specs[name], settings)  # refuses missing or demo keys, as at start-up


def test_compose_secrets_come_from_the_environment(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for var, value in service.get("environment", {}).items():
            if SECRET_NAME.search(var):
                assert re.fullmatch(r"\$\{[A-Z0-9_]+:\?[^}]*\}", str(value)), f"{name}: {var}"
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", (REPO / "docker-compose.yml").read_text()))
    example = env_example()
    assert set(example) == required, "env.example lists exactly what compose requires"
    assert all(value == "" for value in example.values()), "env.example holds no value"


def test_compose_gives_each_service_its_own_database(compose: dict[str, Any], specs: dict[str, ServiceSpec]) -> None:
    postgres = compose["services"]["postgres"]
    assert postgres["environment"]["SERVICE_DATABASES"].split() == [db_name(n) for n in specs]
    scripts, target, _ = postgres["volumes"][1].split(":")
    assert target == "/docker-entrypoint-initdb.d" and list((REPO / scripts).glob("*.sh"))
    for runner, (_, name) in compose_labornet(compose).items():
        env = compose["services"][runner]["environment"]
        url = make_url(env["LABORNET_DATABASE_URL"])
        assert (url.drivername, url.host, url.password) == ("postgresql+asyncpg", "postgres", None)
        assert url.username == url.database == db_name(name)
        assert env["PGPASSWORD"] == postgres["environment"][f"{db_name(name).upper()}_DB_PASSWORD"]


def test_compose_kafka_init_creates_the_code_topics(compose: dict[str, Any]) -> None:
    init = compose["services"]["kafka-init"]
    # Run the script with kafka-topics.sh replaced by echo; read what it would create.
    script = init["command"][0].replace("$$", "$").replace("/opt/kafka/bin/kafka-topics.sh", "kafka_topics")
    result = subprocess.run(
        ["/bin/bash", "-c", 'kafka_topics() { echo "$@"; }\n' + script],
        env={"PATH": os.environ["PATH"], **{k: str(v) for k, v in init["environment"].items()}},
        capture_output=True,
        text=True,
        check=True,
    )
    created = {}
    for line in result.stdout.splitlines():
        if "--create" in line:
            args = line.split()
            created[args[args.index("--topic") + 1]] = (
                args[args.index("--partitions") + 1],
                args[args.index("--replication-factor") + 1],
            )
    assert sorted(created) == sorted(topics.all_topics())
    for runner in compose_labornet(compose):
        env = compose["services"][runner]["environment"]
        wanted = (env["LABORNET_KAFKA_TOPIC_PARTITIONS"], env["LABORNET_KAFKA_TOPIC_REPLICATION"])
        assert set(created.values()) == {wanted}, runner
        assert compose["services"][runner]["depends_on"]["kafka-init"] == {
            "condition": "service_completed_successfully"
        }


def test_compose_connection_budget_fits_postgres(compose: dict[str, Any]) -> None:
    command = compose["services"]["postgres"]["command"]
    max_connections = int(command[command.index("-c") + 1].partition("=")[2])
    budget = 0
    for runner, (role, _) in compose_labornet(compose).items():
        pool = int(compose["services"][runner]["environment"]["LABORNET_DATABASE_POOL_SIZE"])
        budget += 1 if role == "migrate" else pool + max_overflow(pool)
    assert budget <= max_connections - RESERVED_CONNECTIONS


# --- Kubernetes ------------------------------------------------------------------------------


def test_kubernetes_objects_validate_strictly(rendered: Rendered) -> None:
    failures = []
    for obj in rendered.objects:
        if is_custom_resource(obj):
            continue
        for version in KUBERNETES_VERSIONS:
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except (kubernetes_validate.ValidationError, kubernetes_validate.SchemaNotFoundError) as exc:
                where = f"{obj['kind']}/{obj['metadata']['name']} @{version}"
                failures.append(f"{where}: {exc.message}")
    assert not failures, "\n".join(failures)


def test_custom_resources_validate_against_the_shipped_schemas(rendered: Rendered) -> None:
    failures = []
    for obj in filter(is_custom_resource, rendered.objects):
        path = crd_schema(obj)
        assert path.exists(), f"no schema for {obj['apiVersion']} {obj['kind']}: add {path.name}"
        validator = jsonschema.Draft202012Validator(json.loads(path.read_text()))
        failures += [
            f"{obj['kind']}/{obj['metadata']['name']} {list(e.absolute_path)}: {e.message}"
            for e in validator.iter_errors(obj)
        ]
    assert not failures, "\n".join(failures)


def test_every_service_has_api_worker_service_and_migration(rendered: Rendered, specs: dict[str, ServiceSpec]) -> None:
    assert {svc for *_, svc in rendered.labornet_containers()} == set(specs)
    for name in specs:
        api = rendered.api_container(name)
        worker = rendered.find("Deployment", f"{name}-worker")["spec"]["template"]["spec"]
        job = rendered.find("Job", f"{name}-migrate")["spec"]["template"]["spec"]
        assert api["args"] == ["serve", name]
        assert worker["containers"][0]["args"] == ["worker", name]
        assert job["containers"][0]["args"] == ["migrate", name]
        env = rendered.env(api)
        assert (env["LABORNET_RUN_RELAY"], env["LABORNET_RUN_CONSUMERS"]) == ("false", "false")
        rendered.find("Service", name)
        for target in (name, f"{name}-worker"):
            rendered.find("PodDisruptionBudget", target)
            hpa = rendered.find("HorizontalPodAutoscaler", target)
            assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": target}
            # The autoscaler owns the count; a value here would be reset on every apply.
            assert "replicas" not in rendered.find("Deployment", target)["spec"]


def test_ports_agree_between_settings_deployments_and_services(
    rendered: Rendered, specs: dict[str, ServiceSpec]
) -> None:
    for name, spec in specs.items():
        port = default_port(spec)
        assert port == spec.default_port
        container = rendered.api_container(name)
        named = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert named == {"http": port}
        assert rendered.env(container)["LABORNET_PORT"] == str(port)
        (service_port,) = rendered.find("Service", name)["spec"]["ports"]
        assert service_port["port"] == port
        assert named.get(service_port["targetPort"], service_port["targetPort"]) == port
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            probe_port = container[probe]["httpGet"]["port"]
            assert named.get(probe_port, probe_port) == port
    gateway_env = rendered.env(rendered.api_container("gateway"))
    for upstream, name in upstream_fields(specs).items():
        assert gateway_env[upstream] == f"http://{name}:{default_port(specs[name])}"


def test_probes_ask_paths_the_apps_serve(
    rendered: Rendered, specs: dict[str, ServiceSpec], apps: dict[str, Any]
) -> None:
    for name in specs:
        container = rendered.api_container(name)
        paths = {p: container[p]["httpGet"]["path"] for p in ("startupProbe", "livenessProbe", "readinessProbe")}
        assert all(serves(apps[name], path) for path in paths.values()), name
        assert paths["livenessProbe"] == paths["startupProbe"] == "/healthz"
        # The gateway's /readyz waits for every backend: an orchestrator asks /readyz/self.
        assert paths["readinessProbe"] == ("/readyz/self" if name == "gateway" else "/readyz")


def test_env_names_are_settings_fields(rendered: Rendered, specs: dict[str, ServiceSpec]) -> None:
    for obj, container, _, service in rendered.labornet_containers():
        allowed = settings_env_names(specs[service].settings_cls) | LIBPQ_ENV | OTEL_ENV
        unknown = set(rendered.env(container)) - allowed
        assert not unknown, f"{obj['metadata']['name']}: not settings of {service}: {unknown}"


def test_environments_load_as_production_settings(
    rendered: Rendered, specs: dict[str, ServiceSpec], load_settings: Any
) -> None:
    for obj, container, role, service in rendered.labornet_containers():
        env = {
            name: stand_in(name) if isinstance(value, dict) else value
            for name, value in rendered.env(container).items()
        }
        settings = load_settings(specs[service].settings_cls, env)
        where = obj["metadata"]["name"]
        assert settings.environment == "production" and settings.host == "0.0.0.0", where
        if role == "serve":
            build_app(specs[service], settings)  # refuses missing or demo keys, as at start-up


def test_secrets_are_referenced_never_written(rendered: Rendered, specs: dict[str, ServiceSpec]) -> None:
    assert not rendered.all("Secret")
    for config in rendered.all("ConfigMap"):
        assert not [k for k in config["data"] if SECRET_NAME.search(k)], config["metadata"]["name"]
    for obj, container, _, service in rendered.labornet_containers():
        for item in container.get("env", []):
            if SECRET_NAME.search(item["name"]):
                # The shared Secret, the service's own, or (PGPASSWORD) its database role's.
                ref = item["valueFrom"]["secretKeyRef"]["name"]
                allowed = {"labornet-secrets", f"{service}-secrets", f"{service}-db"}
                if item["name"] == "PGPASSWORD":
                    allowed = {f"{service}-db"}
                assert ref in allowed, f"{obj['metadata']['name']}: {item['name']} from {ref}"
    # The role each service logs in as takes its password from that same Secret.
    (cluster,) = rendered.all("Cluster")
    roles = {r["name"]: r["passwordSecret"]["name"] for r in cluster["spec"]["managed"]["roles"]}
    assert roles == {db_name(name): f"{name}-db" for name in specs}


def test_each_service_has_its_own_database(rendered: Rendered, specs: dict[str, ServiceSpec]) -> None:
    (cluster,) = rendered.all("Cluster")
    databases = {o["spec"]["name"]: o["spec"] for o in rendered.all("Database")}
    assert set(databases) == {db_name(name) for name in specs}
    for name in specs:
        database = databases[db_name(name)]
        assert database["owner"] == db_name(name)
        assert database["cluster"]["name"] == cluster["metadata"]["name"]
        config = rendered.find("ConfigMap", f"{name}-config")["data"]
        url = make_url(config["LABORNET_DATABASE_URL"])
        assert (url.drivername, url.password) == ("postgresql+asyncpg", None)
        assert url.host == f"{cluster['metadata']['name']}-rw"
        assert url.username == url.database == db_name(name)


def test_topics_agree_with_the_code(rendered: Rendered) -> None:
    common = rendered.find("ConfigMap", "labornet-common")["data"]
    (kafka,) = rendered.all("Kafka")
    cluster = kafka["metadata"]["name"]
    declared = rendered.all("KafkaTopic")
    names = [o["spec"].get("topicName", o["metadata"]["name"]) for o in declared]
    assert sorted(names) == sorted(topics.all_topics())
    for topic in declared:
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == cluster
        assert topic["spec"]["partitions"] == int(common["LABORNET_KAFKA_TOPIC_PARTITIONS"])
        assert topic["spec"]["replicas"] == int(common["LABORNET_KAFKA_TOPIC_REPLICATION"])
        assert topic["spec"]["config"]["min.insync.replicas"] < topic["spec"]["replicas"]
    (plain,) = [x for x in kafka["spec"]["kafka"]["listeners"] if not x["tls"]]
    bootstrap = f"{cluster}-kafka-bootstrap:{plain['port']}"
    assert common["LABORNET_KAFKA_BOOTSTRAP_SERVERS"] == bootstrap
    config = kafka["spec"]["kafka"]["config"]
    assert (config["default.replication.factor"], config["min.insync.replicas"]) == (3, 2)
    pools = rendered.all("KafkaNodePool")
    controllers = sum(p["spec"]["replicas"] for p in pools if "controller" in p["spec"]["roles"])
    brokers = sum(p["spec"]["replicas"] for p in pools if "broker" in p["spec"]["roles"])
    assert controllers % 2 == 1 and controllers >= 3, "a KRaft quorum needs an odd count ≥ 3"
    assert brokers >= config["default.replication.factor"]


def test_worker_autoscaling_stays_within_the_partitions(rendered: Rendered) -> None:
    partitions = min(o["spec"]["partitions"] for o in rendered.all("KafkaTopic"))
    workers = [
        hpa
        for hpa in rendered.all("HorizontalPodAutoscaler")
        if hpa["spec"]["scaleTargetRef"]["name"].endswith("-worker")
    ]
    assert workers
    for hpa in workers:
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"] <= partitions, (
            f"{hpa['metadata']['name']}: consumers beyond {partitions} partitions sit idle"
        )


def test_connection_budget_fits_postgres(rendered: Rendered) -> None:
    pool = int(rendered.find("ConfigMap", "labornet-common")["data"]["LABORNET_DATABASE_POOL_SIZE"])
    ceilings = {
        hpa["spec"]["scaleTargetRef"]["name"]: hpa["spec"]["maxReplicas"]
        for hpa in rendered.all("HorizontalPodAutoscaler")
    }
    budget = 0
    for obj, _, role, _ in rendered.labornet_containers():
        if role == "migrate":
            budget += 1
        else:
            budget += ceilings[obj["metadata"]["name"]] * (pool + max_overflow(pool))
    (cluster,) = rendered.all("Cluster")
    max_connections = int(cluster["spec"]["postgresql"]["parameters"]["max_connections"])
    assert budget <= max_connections - RESERVED_CONNECTIONS


def test_pods_are_locked_down(rendered: Rendered, dockerfile: str) -> None:
    uid = int(final_stage(dockerfile)["USER"].split(":")[0])
    for obj, pod in rendered.pods():
        where = obj["metadata"]["name"]
        assert pod["securityContext"]["runAsNonRoot"] is True, where
        assert pod["securityContext"]["runAsUser"] == uid, where
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, where
        assert pod["automountServiceAccountToken"] is False, where
        # Service links would put variables such as LABORNET_KAFKA_BOOTSTRAP_PORT into the
        # settings' namespace.
        assert pod["enableServiceLinks"] is False, where
        scratch = {v["name"] for v in pod["volumes"] if "emptyDir" in v}
        for container in pod["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, where
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["capabilities"] == {"drop": ["ALL"]}, where
            assert {m["mountPath"]: m["name"] for m in container["volumeMounts"]}["/tmp"] in scratch
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), where
            assert "memory" in container["resources"]["limits"], where


def test_network_policies_deny_by_default_and_open_only_what_is_needed(
    rendered: Rendered, specs: dict[str, ServiceSpec]
) -> None:
    policies = [o["spec"] for o in rendered.all("NetworkPolicy")]
    assert {"podSelector": {}, "policyTypes": ["Ingress"]} in policies
    ours = {"app.kubernetes.io/part-of": "labornet"}
    assert any(
        p["policyTypes"] == ["Egress"] and "egress" not in p and selects(p["podSelector"], ours) for p in policies
    )

    def egress_ports(labels: dict[str, str]) -> set[Any]:
        return {
            port["port"]
            for p in policies
            if selects(p["podSelector"], labels)
            for rule in p.get("egress", [])
            for port in rule.get("ports", [])
        }

    def admits(labels: dict[str, str], peer: dict[str, str] | None, port: int) -> bool:
        """Ingress to labels on port from pods labelled peer (None: from other namespaces)."""
        return any(
            port in [x["port"] for x in rule["ports"]]
            and any(
                ("namespaceSelector" in f)
                if peer is None
                else selects(f.get("podSelector", {"matchLabels": {"": "-"}}), peer)
                for f in rule["from"]
            )
            for p in policies
            if selects(p["podSelector"], labels)
            for rule in p.get("ingress", [])
        )

    for obj, _ in rendered.pods():
        # DNS, Kafka, PostgreSQL.
        labels = obj["spec"]["template"]["metadata"]["labels"]
        assert {53, 9092, 5432} <= egress_ports(labels), obj["metadata"]["name"]
    for policy in policies:
        # Out of the cluster (an ipBlock): the gateway's pods only.
        if any("ipBlock" in peer for rule in policy.get("egress", []) for peer in rule["to"]):
            assert policy["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == "gateway"

    def api(name: str) -> dict[str, str]:
        return {"app.kubernetes.io/name": name, "app.kubernetes.io/component": "api", **ours}

    assert admits(api("gateway"), None, default_port(specs["gateway"]))
    for name in upstream_fields(specs).values():
        port = default_port(specs[name])
        assert port in egress_ports(api("gateway")), f"the gateway cannot reach {name}"
        assert admits(api(name), api("gateway"), port), f"{name} does not admit the gateway"


def test_one_image_everywhere(rendered: Rendered, compose: dict[str, Any]) -> None:
    images = {container["image"] for _, container, _, _ in rendered.labornet_containers()}
    assert len(images) == 1
    rules = rendered.kustomization.get("images", [])
    assert all(rule["name"] == IMAGE for rule in rules)
    assert split_image(images.pop())[0] == (rules[0]["newName"] if rules else IMAGE)
    in_compose = {interpolate(compose["services"][n]["image"]) for n in compose_labornet(compose)}
    assert len(in_compose) == 1 and split_image(in_compose.pop())[0] == IMAGE


# --- metrics: every API and worker is scraped ---------------------------------------------------

PROMETHEUS = REPO / "deploy" / "prometheus"


def worker_routes() -> Any:
    """The worker's HTTP app (its routes only: nothing runs)."""
    from types import SimpleNamespace

    from labornet_common.platform.worker_http import worker_app

    return worker_app(SimpleNamespace(spec=SimpleNamespace(name="x")))  # type: ignore[arg-type]


def relabel(rules: list[dict[str, Any]], labels: dict[str, str]) -> dict[str, str] | None:
    """Prometheus relabelling (keep and replace, the actions the shipped file uses)."""
    labels = dict(labels)
    for rule in rules:
        value = rule.get("separator", ";").join(labels.get(name, "") for name in rule.get("source_labels", []))
        match = re.fullmatch(rule.get("regex", "(.*)"), value)
        action = rule.get("action", "replace")
        if action == "keep":
            if not match:
                return None
        elif action == "replace":
            if match:
                labels[rule["target_label"]] = match.expand(rule.get("replacement", "$1").replace("$", "\\"))
        else:
            raise AssertionError(f"relabel action {action} not simulated")
    return labels


def test_kubernetes_pods_of_apis_and_workers_are_annotated_for_scraping(
    rendered: Rendered, specs: dict[str, ServiceSpec], apps: dict[str, Any]
) -> None:
    from labornet_common.platform.worker_http import worker_port

    worker = worker_routes()
    for name, spec in specs.items():
        for deployment, port, app in (
            (name, default_port(spec), apps[name]),
            (f"{name}-worker", worker_port(default_port(spec)), worker),
        ):
            template = rendered.find("Deployment", deployment)["spec"]["template"]
            notes = template["metadata"]["annotations"]
            assert notes["prometheus.io/scrape"] == "true", deployment
            assert notes["prometheus.io/port"] == str(port), deployment
            assert serves(app, notes["prometheus.io/path"]), deployment
            (container,) = template["spec"]["containers"]
            assert port in [p["containerPort"] for p in container["ports"]], deployment
        # The worker's probes ask its health port, on paths it serves.
        (container,) = rendered.find("Deployment", f"{name}-worker")["spec"]["template"]["spec"]["containers"]
        named = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert named == {"metrics": worker_port(default_port(spec))}
        for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
            assert container[probe]["httpGet"] == {"path": path, "port": "metrics"}
            assert serves(worker, path)


def test_prometheus_in_kubernetes_finds_every_api_and_worker(rendered: Rendered, specs: dict[str, ServiceSpec]) -> None:
    config = yaml.safe_load((PROMETHEUS / "prometheus-kubernetes.yml").read_text())
    (job,) = config["scrape_configs"]
    assert job["kubernetes_sd_configs"] == [{"role": "pod"}]
    policies = [o["spec"] for o in rendered.all("NetworkPolicy")]
    monitoring = [
        rule
        for p in policies
        for rule in p.get("ingress", [])
        if any(
            f.get("namespaceSelector", {}).get("matchLabels") == {"kubernetes.io/metadata.name": "monitoring"}
            for f in rule["from"]
        )
    ]
    opened = {port["port"] for rule in monitoring for port in rule["ports"]}
    targets = set()
    for obj, pod in rendered.pods():
        template = obj["spec"]["template"]
        meta = {
            "__address__": "10.0.0.7",
            "__meta_kubernetes_namespace": obj["metadata"].get("namespace", ""),
            "__meta_kubernetes_pod_name": obj["metadata"]["name"] + "-abc12",
            **{
                "__meta_kubernetes_pod_label_" + re.sub(r"[^a-zA-Z0-9_]", "_", k): v
                for k, v in template["metadata"]["labels"].items()
            },
            **{
                "__meta_kubernetes_pod_annotation_" + re.sub(r"[^a-zA-Z0-9_]", "_", k): v
                for k, v in template["metadata"].get("annotations", {}).items()
            },
        }
        kept = relabel(job["relabel_configs"], meta)
        if obj["kind"] == "Job":
            assert kept is None, obj["metadata"]["name"]  # migrations: nothing to scrape
            continue
        assert kept is not None, obj["metadata"]["name"]
        host, port = kept["__address__"].split(":")
        assert host == "10.0.0.7" and kept["__metrics_path__"] == "/metrics"
        assert int(port) in {p["containerPort"] for c in pod["containers"] for p in c.get("ports", [])}
        assert int(port) in opened, f"{obj['metadata']['name']}: monitoring may not reach {port}"
        targets.add((kept["service"], kept["component"]))
    assert targets == {(name, role) for name in specs for role in ("api", "worker")}


def test_compose_prometheus_scrapes_every_api_and_worker(
    compose: dict[str, Any], specs: dict[str, ServiceSpec]
) -> None:
    from labornet_common.platform.worker_http import worker_port

    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    targets = {
        target
        for job in config["scrape_configs"]
        for static in job["static_configs"]
        for target in static["targets"]
        if job.get("metrics_path", "/metrics") == "/metrics"
    }
    wanted = {f"{name}:{default_port(spec)}" for name, spec in specs.items()}
    wanted |= {f"{name}-worker:{worker_port(default_port(spec))}" for name, spec in specs.items()}
    assert targets == wanted
    services = compose["services"]
    prometheus = services["prometheus"]
    assert prometheus["profiles"] == ["monitoring"] and "ports" not in prometheus
    assert "./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in prometheus["volumes"]
    for target in targets:
        host = target.split(":")[0]
        assert set(services[host]["networks"]) & set(prometheus["networks"]), f"{host} not reachable"
    # A worker's healthcheck asks its own health port.
    for name, spec in specs.items():
        check = " ".join(services[f"{name}-worker"]["healthcheck"]["test"])
        assert f"http://127.0.0.1:{worker_port(default_port(spec))}/readyz" in check, name


def test_traces_go_to_the_collector_in_kubernetes_and_are_off_by_default_in_compose(
    rendered: Rendered, compose: dict[str, Any]
) -> None:
    from labornet_common.platform import tracing

    policies = [o["spec"] for o in rendered.all("NetworkPolicy")]
    for obj, container, _role, _service in rendered.labornet_containers():
        env = {k: str(v) for k, v in rendered.env(container).items() if k in OTEL_ENV}
        exporter = tracing.exporter_from_env(env)
        assert type(exporter).__name__ == "OTLPSpanExporter", obj["metadata"]["name"]
        port = int(env["OTEL_EXPORTER_OTLP_ENDPOINT"].rsplit(":", 1)[1])
        labels = obj["spec"]["template"]["metadata"]["labels"]
        assert any(
            port in [p["port"] for p in rule["ports"]]
            for policy in policies
            if policy["policyTypes"] == ["Egress"] and selects(policy["podSelector"], labels)
            for rule in policy.get("egress", [])
        ), f"{obj['metadata']['name']} cannot reach the collector"
    for name in compose_labornet(compose):
        env = {k: interpolate(v) for k, v in compose["services"][name]["environment"].items() if k in OTEL_ENV}
        assert env["OTEL_TRACES_EXPORTER"] == "none" and tracing.exporter_from_env(env) is None, name
