"""Test helpers for Orion and module authors, registered as a pytest plugin.

``pytest -p orion_server.testing.plugin`` (set in pyproject) gives every test a migrated
database emptied before each test (SQLite file, or PostgreSQL when ORION_TEST_DATABASE_URL
names one), an app and HTTP client, and factories for platforms, stores and users.
"""
