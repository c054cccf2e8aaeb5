"""Encrypting secrets at rest (SMTP passwords, payment gateway keys) with the installation's key.

A stored secret looks like ``fernet:v1:<token>``: Fernet (AES-128-CBC + HMAC-SHA256) with a key
derived by HKDF-SHA256 from the installation secret key (``ORION_SECRET_KEY`` or the
``secret_key`` file in the data folder). The derivation has its own ``info`` label, so the
encryption key is never the key that signs sessions. The version prefix lets a later scheme
coexist with this one, and lets migrations tell encrypted values from old plaintext ones.

When the secret key changes, stored secrets can no longer be read: ``decrypt`` raises
``SecretKeyChanged``, whose message tells the operator to restore the old key or enter the
secrets again. The message never contains the secret or the token.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "fernet:v1:"
HKDF_INFO = b"orion secrets-box fernet v1"
HKDF_SALT = b"orion-secrets-at-rest"


class SecretsBoxError(RuntimeError):
    """A stored secret cannot be used."""


class SecretKeyChanged(SecretsBoxError):
    """The secret was encrypted with another installation secret key."""

    def __init__(self) -> None:
        super().__init__(
            "a stored secret cannot be decrypted: the installation secret key changed since it "
            "was saved; restore the previous ORION_SECRET_KEY (or data-folder secret_key file) "
            "or enter the secret again"
        )


class NotEncrypted(SecretsBoxError):
    """The value has no ``fernet:v1:`` prefix."""

    def __init__(self) -> None:
        super().__init__("the value is not an encrypted secret (no fernet:v1: prefix)")


@lru_cache(maxsize=8)
def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=HKDF_SALT, info=HKDF_INFO
    ).derive(secret_key.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _key(secret_key: str | None) -> str:
    if secret_key is not None:
        return secret_key
    from orion_server.config import get_settings

    return get_settings().secret_key


def is_encrypted(value: str | None) -> bool:
    """Whether ``value`` is a token written by ``encrypt`` (of any key)."""
    return bool(value) and str(value).startswith(PREFIX)


def encrypt(plaintext: str, *, secret_key: str | None = None) -> str:
    """``fernet:v1:<token>`` for ``plaintext`` (a fresh token each call)."""
    token = _fernet(_key(secret_key)).encrypt(plaintext.encode("utf-8"))
    return PREFIX + token.decode("ascii")


def decrypt(value: str, *, secret_key: str | None = None) -> str:
    """The plaintext of a ``fernet:v1:`` value; SecretKeyChanged when another key wrote it."""
    if not is_encrypted(value):
        raise NotEncrypted()
    try:
        return _fernet(_key(secret_key)).decrypt(value[len(PREFIX):].encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError, ValueError):
        raise SecretKeyChanged() from None


def seal(value: str | None, *, secret_key: str | None = None) -> str:
    """What to store for ``value``: '' stays '' (nothing set), an encrypted value stays as is."""
    if not value:
        return ""
    if is_encrypted(value):
        return value
    return encrypt(value, secret_key=secret_key)


def reveal(value: str | None, *, secret_key: str | None = None) -> str:
    """The plaintext of a stored value: '' for nothing, old plaintext (a row written before the
    encryption migration ran) as is, else decrypted (SecretKeyChanged when the key changed)."""
    if not value:
        return ""
    if not is_encrypted(value):
        return value
    return decrypt(value, secret_key=secret_key)
