"""Settings: data folder, database URL, the generated secret and its safety check."""

from __future__ import annotations

import os
import stat

import pytest

from orion_server.config import ConfigurationError, Settings, check_secret, ensure_secret_key


def test_secret_key_is_generated_once_and_readable_only_by_its_owner(tmp_path):
    """The first run writes a random key with mode 0600; later runs read the same key."""
    settings = Settings(data_dir=tmp_path, env="production")
    key = ensure_secret_key(settings)
    path = tmp_path / "secret_key"
    assert len(key) >= 32 and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert ensure_secret_key(Settings(data_dir=tmp_path, env="production")) == key


@pytest.mark.parametrize("secret", ["changeme", "secret", "short-key"])
def test_unsafe_secret_is_refused_outside_development(secret):
    """Known or short secrets stop start-up in production."""
    with pytest.raises(ConfigurationError, match="ORION_SECRET_KEY is unsafe"):
        check_secret(Settings(env="production"), secret)


def test_unsafe_secret_is_accepted_in_development():
    """Development may use any secret."""
    check_secret(Settings(env="development"), "changeme")


def test_database_defaults_to_sqlite_in_the_data_directory(tmp_path):
    """Without ORION_DATABASE_URL the database is orion.db in the data folder."""
    settings = Settings(data_dir=tmp_path, database_url="")
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'orion.db'}"
    assert settings.is_sqlite


def test_lists_are_read_from_comma_separated_env(monkeypatch):
    """ORION_TRUSTED_PROXIES and ORION_SUPPORTED_LANGUAGES accept comma lists."""
    monkeypatch.setenv("ORION_TRUSTED_PROXIES", "10.0.0.1, 10.0.0.0/24")
    monkeypatch.setenv("ORION_SUPPORTED_LANGUAGES", "fr,de")
    monkeypatch.setenv("ORION_DEFAULT_LANGUAGE", "de")
    settings = Settings()
    assert settings.trusted_proxies == ["10.0.0.1", "10.0.0.0/24"]
    assert settings.supported_languages == ["fr", "de"]


def test_unsupported_language_is_a_clear_error():
    """Only en, de, fr and lb can be offered."""
    with pytest.raises(ValueError, match="unsupported language"):
        Settings(supported_languages=["en", "es"])


def test_base_url_loses_its_trailing_slash():
    """Links are joined to ORION_BASE_URL without double slashes."""
    assert Settings(base_url="https://shop.lu/").base_url == "https://shop.lu"
