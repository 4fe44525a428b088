"""Who a risk picture is about: the employer (USCC, else normalised name + county) and project.

The unified social credit code (GB 32100-2015) identifies an employer nationwide. Without it,
two complaints name the same employer when their names agree after normalisation within one
county: the same shop name in two counties is usually two businesses.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from labornet_common.standards.uscc import is_valid_uscc, normalise_uscc

_NOISE = re.compile(r"[\s\"'“”‘’《》<>()\[\]{}（）【】,，.。、:：;；\-—_·]+")
NO_PROJECT = ""


def normalise_name(name: str) -> str:
    """Full-width to half-width, case-folded, without spaces, brackets and punctuation."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", name or "")).casefold()


def county_of(region_code: str) -> str:
    """GB/T 2260: the first six digits name the county (a township code has nine or twelve)."""
    return region_code[:6]


def employer_key(*, uscc: str | None, name: str, region_code: str) -> str:
    """``uscc:<code>`` when a valid USCC is known, else ``name:<county>:<normalised name>``;
    empty when neither is known (such a case joins no employer's picture)."""
    if uscc:
        code = normalise_uscc(uscc)
        if is_valid_uscc(code):
            return f"uscc:{code}"
    normalised = normalise_name(name)
    return f"name:{county_of(region_code)}:{normalised}" if normalised else ""


def project_key(project: str | None) -> str:
    return normalise_name(project or "")


def short_id(*parts: str) -> str:
    """A stable, URL-safe id for a key made of free text (names may hold any character)."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]
