"""orion_server.secrets_box: Fernet with a key derived from the installation secret key."""

from __future__ import annotations

import base64

import pytest
from cryptography.fernet import Fernet

from orion_server import secrets_box
from orion_server.secrets_box import (
    PREFIX,
    NotEncrypted,
    SecretKeyChanged,
    decrypt,
    encrypt,
    is_encrypted,
    reveal,
    seal,
)

KEY = "k" * 48
OTHER_KEY = "o" * 48


def test_a_secret_round_trips_and_never_shows_in_the_stored_text():
    """encrypt → fernet:v1:…, different each time; decrypt gives the plaintext back."""
    first = encrypt("sk_live_ünïcode-secret", secret_key=KEY)
    second = encrypt("sk_live_ünïcode-secret", secret_key=KEY)

    assert first.startswith(PREFIX) and first != second
    assert "sk_live" not in first
    assert decrypt(first, secret_key=KEY) == decrypt(second, secret_key=KEY) == "sk_live_ünïcode-secret"


def test_the_installation_key_is_used_by_default():
    """Without an explicit key, the settings' secret key encrypts and decrypts."""
    from orion_server.config import get_settings

    token = encrypt("whsec_default")

    assert decrypt(token) == "whsec_default"
    assert decrypt(token, secret_key=get_settings().secret_key) == "whsec_default"


def test_a_changed_secret_key_gives_a_clear_error_without_the_secret():
    """Another key cannot read the token: SecretKeyChanged says what happened and what to do."""
    token = encrypt("hunter2-secret", secret_key=KEY)

    with pytest.raises(SecretKeyChanged) as caught:
        decrypt(token, secret_key=OTHER_KEY)

    message = str(caught.value)
    assert "secret key changed" in message and "enter the secret again" in message
    assert "hunter2" not in message and token not in message


def test_a_tampered_token_is_refused():
    """Changing one character of the token fails the HMAC check."""
    token = encrypt("value", secret_key=KEY)
    tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]

    with pytest.raises(SecretKeyChanged):
        decrypt(tampered, secret_key=KEY)


def test_the_encryption_key_is_derived_not_the_secret_key_itself():
    """A Fernet key made directly from the secret key cannot read the token (HKDF with its own
    label), so the session-signing key is never the encryption key."""
    token = encrypt("value", secret_key=KEY)
    naive = Fernet(base64.urlsafe_b64encode(KEY.encode()[:32]))

    with pytest.raises(Exception):  # noqa: B017 - any failure will do: it must not decrypt
        naive.decrypt(token[len(PREFIX):].encode())
    assert secrets_box.HKDF_INFO == b"orion secrets-box fernet v1"


def test_decrypt_refuses_plaintext_but_reveal_and_seal_tolerate_it():
    """Old rows hold plaintext until the migration: reveal passes it through, seal encrypts it
    once and leaves an encrypted value alone; empty stays empty."""
    with pytest.raises(NotEncrypted):
        decrypt("plain", secret_key=KEY)
    assert reveal("plain", secret_key=KEY) == "plain"
    assert reveal("", secret_key=KEY) == "" and seal("", secret_key=KEY) == ""

    sealed = seal("plain", secret_key=KEY)
    assert is_encrypted(sealed) and not is_encrypted("plain")
    assert seal(sealed, secret_key=KEY) == sealed
    assert reveal(sealed, secret_key=KEY) == "plain"
