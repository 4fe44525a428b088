from pathlib import Path

import yaml

from labornet_common.platform.asyncapi import build, contract_types, render
from labornet_common.platform.bus.topics import CASE_TOPICS, REFERENCE_TOPICS

DOC = Path(__file__).parents[4] / "docs" / "asyncapi.yaml"


def test_committed_document_matches_the_contracts_in_code() -> None:
    # Regenerate with: labornet asyncapi > docs/asyncapi.yaml
    assert DOC.read_text(encoding="utf-8") == render()


def test_every_contract_type_is_a_message_on_its_topic() -> None:
    doc = build()
    addresses = {ch["address"]: ch for ch in doc["channels"].values()}
    assert set(addresses) == {*CASE_TOPICS, *REFERENCE_TOPICS}
    for event_type, cls in contract_types().items():
        assert event_type.startswith("cn.labornet.") and event_type.endswith(".v1")
        name = event_type.removeprefix("cn.labornet.").replace(".", "_")
        assert name in addresses[cls.topic]["messages"]
        assert doc["components"]["messages"][name]["payload"]["$id"].endswith(event_type)


def test_every_reference_resolves_inside_the_document() -> None:
    doc = build()
    text = yaml.safe_dump(doc)
    refs = {line.split("'")[1] for line in text.splitlines() if "$ref:" in line}
    for ref in refs:
        node = doc
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        assert node, ref
