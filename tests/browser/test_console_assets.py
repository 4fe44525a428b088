"""Everything the console loads ships inside the gateway package: no CDN, no remote font."""

from __future__ import annotations

import re
from pathlib import Path

import labornet_gateway.console as console

PACKAGE = Path(console.__file__).parent
ASSETS = sorted(p for p in PACKAGE.rglob("*") if p.suffix in {".html", ".css", ".js"})
# Any absolute or protocol-relative address in markup, styles or script.
REMOTE = re.compile(
    r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import|https?://"""
)


def test_the_console_ships_templates_styles_and_script() -> None:
    names = {p.name for p in ASSETS}
    assert {"base.html", "console.css", "console.js"} <= names


def test_no_asset_refers_to_another_origin() -> None:
    offenders = {str(p.relative_to(PACKAGE)): m.group(0) for p in ASSETS for m in [REMOTE.search(p.read_text())] if m}
    assert offenders == {}


def test_no_inline_script_or_style_that_the_policy_would_block() -> None:
    for path in PACKAGE.rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path  # only <script src=...>
        assert "<style" not in text and " style=" not in text and " onclick=" not in text, path
