"""Chinese data standards: ID numbers, credit codes, phone numbers, division codes, masking.

Every validator raises ``StandardError`` (a ``ValueError`` carrying a stable ``code`` and a
Chinese and an English message), so it can be used directly inside pydantic validators.
The shared division registry is exported as ``division_registry`` (the same function as
``standards.divisions.divisions``) so that the ``divisions`` submodule keeps its name.
"""

from labornet_common.standards.divisions import (
    Division,
    DivisionRegistry,
    TownshipKind,
    canonical_forms,
    is_within,
    township_kind,
)
from labornet_common.standards.divisions import divisions as division_registry
from labornet_common.standards.errors import STANDARD_MESSAGES, StandardError
from labornet_common.standards.id_number import (
    IdNumber,
    age_on,
    id_check_char,
    is_valid_id_number,
    validate_id_number,
)
from labornet_common.standards.masking import mask_id_number, mask_phone, redact_pii
from labornet_common.standards.phone import is_mobile, normalise_phone
from labornet_common.standards.uscc import (
    Uscc,
    is_valid_uscc,
    org_code_check_char,
    uscc_check_char,
    validate_uscc,
)

__all__ = [
    "STANDARD_MESSAGES",
    "Division",
    "DivisionRegistry",
    "IdNumber",
    "StandardError",
    "TownshipKind",
    "Uscc",
    "age_on",
    "canonical_forms",
    "division_registry",
    "id_check_char",
    "is_mobile",
    "is_valid_id_number",
    "is_valid_uscc",
    "is_within",
    "mask_id_number",
    "mask_phone",
    "normalise_phone",
    "org_code_check_char",
    "redact_pii",
    "township_kind",
    "uscc_check_char",
    "validate_id_number",
    "validate_uscc",
]
