"""The commission's documents rendered to PDF: the platform's fpdf2 renderer
(labornet_common.platform.documents.pdf), the same for every service that issues documents."""

from labornet_common.platform.documents.pdf import FontMissing, find_font, render, sha256

__all__ = ["FontMissing", "find_font", "render", "sha256"]
