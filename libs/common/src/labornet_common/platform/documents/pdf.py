"""Drafts rendered to PDF with fpdf2, a CJK TrueType font embedded as a subset.

The font is ``LABORNET_DOCUMENT_FONT`` when set, otherwise the first CJK font installed on the
machine (WenQuanYi Micro Hei, Noto Sans CJK, …). Rendering is reproducible: the creation date
is the document's own date (midnight in China) and nothing else in the file depends on the
clock, so the same draft gives the same bytes and the same SHA-256.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time
from pathlib import Path

from labornet_common.platform.clock import CHINA
from labornet_common.platform.documents.draft import DocumentDraft

# Where Debian, Ubuntu and Alpine put the usual CJK fonts (fonts-wqy-microhei, fonts-noto-cjk).
KNOWN_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


class FontMissing(Exception):
    """No CJK font: documents cannot be rendered (a 503, and a warning at start-up)."""


def find_font(configured: str | None) -> Path:
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FontMissing(f"LABORNET_DOCUMENT_FONT={configured} is not a file")
        return path
    for known in KNOWN_FONTS:
        if Path(known).is_file():
            return Path(known)
    raise FontMissing("no CJK font installed: set LABORNET_DOCUMENT_FONT or install fonts-wqy-microhei")


def render(draft: DocumentDraft, *, number: str, version: int, font: Path) -> bytes:
    # Imported at the first document, not at start-up: fpdf2 takes ~0.3 s of CPU to import, in
    # every service process that issues documents, and most processes start without issuing one.
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime.combine(draft.issued_on, time(0), tzinfo=CHINA))
    pdf.set_title(f"{draft.title} {number}")
    pdf.set_creator("LaborNet")
    pdf.set_producer("LaborNet")
    pdf.set_lang("zh-CN")
    pdf.add_font("cjk", fname=str(font))
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 12, draft.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("cjk", size=10)
    label = f"{number}" + (f"（第{version}版，更正）" if version > 1 else "")
    pdf.cell(0, 8, label, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font("cjk", size=12)
    for paragraph in draft.paragraphs:
        pdf.multi_cell(0, 8, paragraph, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    return bytes(pdf.output())


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
