"""PII columns at rest: what a repository calls to store and read ID numbers and phones.

A PII value lives in two columns: ``<name>_enc`` (AES-256-GCM under the active key, bound to
the column's context) and ``<name>_bidx`` (a keyed blind index, for equality lookups such as
"earlier complaints by the same ID number"). Repositories seal on write and open on read;
nothing else ever sees ciphertext, and no plaintext reaches the database.

Keys come from settings (``pii_keyring``, ``pii_active_key``, ``pii_index_key``). Outside
production an unset key falls back to the public demo keys of ``labornet_common.security.crypto``;
production refuses to start with a missing or demo key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Column, String, Text

from labornet_common.platform.settings import BaseServiceSettings
from labornet_common.security.crypto import (
    DEV_ACTIVE_KEY_ID,
    DEV_INDEX_KEY,
    DEV_KEYRING,
    PiiCipher,
    is_dev_key,
)

BLIND_INDEX_LENGTH = 64  # hex SHA-256


def cipher_from_settings(settings: BaseServiceSettings) -> PiiCipher:
    keyring, active, index_key = settings.pii_keyring, settings.pii_active_key, settings.pii_index_key
    if settings.environment == "production":
        if not (keyring and active and index_key):
            raise ValueError(
                "LABORNET_PII_KEYRING, LABORNET_PII_ACTIVE_KEY and LABORNET_PII_INDEX_KEY must be set "
                "in production (生产环境必须配置个人信息加密密钥)"
            )
        if is_dev_key(keyring) or is_dev_key(index_key):
            raise ValueError("the public demo PII keys are refused in production (生产环境不得使用演示密钥)")
    elif not keyring:
        keyring, active = DEV_KEYRING, active or DEV_ACTIVE_KEY_ID
    return PiiCipher.from_settings(keyring=keyring, active=active, index_key=index_key or DEV_INDEX_KEY)


def pii_columns(name: str) -> list[Column[Any]]:
    """The two columns of one PII field, for a Table definition."""
    return [
        Column(f"{name}_enc", Text),
        Column(f"{name}_bidx", String(BLIND_INDEX_LENGTH), index=True),
    ]


@dataclass(frozen=True)
class PiiField:
    """One kind of personal data in one column pair.

    ``context`` binds ciphertext to its column (a value copied elsewhere fails to decrypt);
    ``index_context`` names what the blind index means, so two tables holding the same
    kind of value (a worker's ID number) can be matched without decrypting either.
    ``normalise`` runs before sealing and before lookups, so equal values index equally.
    """

    name: str
    context: str
    index_context: str
    normalise: Callable[[str], str] = str.strip

    def seal(self, cipher: PiiCipher, value: str | None) -> dict[str, str | None]:
        """Column values for an INSERT/UPDATE: ``{<name>_enc: ..., <name>_bidx: ...}``."""
        if value is None or not value.strip():
            return {f"{self.name}_enc": None, f"{self.name}_bidx": None}
        clean = self.normalise(value)
        return {
            f"{self.name}_enc": cipher.encrypt(clean, context=self.context),
            f"{self.name}_bidx": cipher.blind_index(clean, context=self.index_context),
        }

    def open(self, cipher: PiiCipher, row: object) -> str | None:
        """The plaintext from a result row's mapping (``None`` when the field is empty)."""
        stored = row[f"{self.name}_enc"]  # type: ignore[index]
        return None if stored is None else cipher.decrypt(stored, context=self.context)

    def index_of(self, cipher: PiiCipher, value: str) -> str:
        return cipher.blind_index(self.normalise(value), context=self.index_context)


async def get_pii_cipher(request: Request) -> PiiCipher:  # a coroutine: no thread-pool hop
    cipher: PiiCipher = request.app.state.pii
    return cipher


PiiCipherDep = Annotated[PiiCipher, Depends(get_pii_cipher)]
