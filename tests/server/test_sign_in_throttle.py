"""Sign-in resists guessing: five failures in fifteen minutes lock the account and the client
address out for fifteen minutes (429 with Retry-After), whether or not the account exists;
password checks run a few at a time."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from orion_server.auth import passwords, throttle
from orion_server.errors import TooManyAttemptsError
from orion_server.models import AuditEntry, SignInAttempt

PASSWORD = "correct-horse-battery"


@pytest.fixture
def from_address(orion_app, clean_db, monkeypatch):
    """Clients seen by the server as coming from a given address (other computers, which the
    operator allowed to open the dashboards)."""
    monkeypatch.setattr(orion_app.state.settings, "staff_from_lan", True)
    opened: list[TestClient] = []

    def make(address: str) -> TestClient:
        test_client = TestClient(orion_app, base_url="http://testserver", client=(address, 50000))
        test_client.__enter__()
        opened.append(test_client)
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)


def _login(client, email: str, password: str, path: str = "/admin/login"):
    client.get(path)
    return client.post(
        path,
        data={"email": email, "password": password, "csrf_token": client.cookies.get("orion_csrf")},
        follow_redirects=False,
    )


def _age_attempts(db_session, minutes: int) -> None:
    for row in db_session.scalars(select(SignInAttempt)):
        row.attempted_at -= timedelta(minutes=minutes)
    db_session.commit()


def test_the_sixth_wrong_password_is_refused_with_429_and_a_retry_time(from_address, main_platform, factories):
    factories.admin(email="ops@example.lu")
    client = from_address("192.0.2.10")
    statuses = [_login(client, "ops@example.lu", f"guess-{i}").status_code for i in range(5)]
    assert statuses == [400] * 5
    refused = _login(client, "ops@example.lu", "guess-6")
    assert refused.status_code == 429
    assert 840 <= int(refused.headers["Retry-After"]) <= 900
    assert "Too many failed sign-ins. Try again in 15 minutes." in refused.text
    # Even the right password waits out the lockout: a guesser cannot tell it was right.
    assert _login(client, "ops@example.lu", PASSWORD).status_code == 429


def test_an_unknown_account_is_locked_out_the_same_way(from_address, main_platform, factories):
    """The answers do not reveal whether an account exists."""
    factories.admin(email="ops@example.lu")
    known = [_login(from_address("192.0.2.11"), "ops@example.lu", "x").status_code for _ in range(6)]
    unknown = [_login(from_address("192.0.2.12"), "nobody@example.lu", "x").status_code for _ in range(6)]
    assert known == unknown == [400] * 5 + [429]


def test_the_account_is_locked_whatever_address_the_guesses_come_from(from_address, main_platform, factories):
    factories.admin(email="ops@example.lu")
    for i in range(5):
        assert _login(from_address(f"198.51.100.{i}"), "ops@example.lu", "x").status_code == 400
    assert _login(from_address("198.51.100.99"), "ops@example.lu", PASSWORD).status_code == 429


def test_one_address_guessing_many_accounts_is_locked_out(from_address, main_platform, factories):
    factories.admin(email="ops@example.lu")
    client = from_address("203.0.113.5")
    for i in range(5):
        assert _login(client, f"user{i}@example.lu", "x").status_code == 400
    assert _login(client, "ops@example.lu", PASSWORD).status_code == 429
    # Another address is not affected, and the account itself was never guessed at.
    assert _login(from_address("203.0.113.6"), "ops@example.lu", PASSWORD).status_code == 303


def test_the_lockout_ends_after_fifteen_minutes(from_address, main_platform, factories, db_session):
    factories.admin(email="ops@example.lu")
    client = from_address("192.0.2.20")
    for _ in range(5):
        _login(client, "ops@example.lu", "x")
    _age_attempts(db_session, 14)
    assert _login(client, "ops@example.lu", PASSWORD).status_code == 429
    _age_attempts(db_session, 2)
    assert _login(client, "ops@example.lu", PASSWORD).status_code == 303


def test_failures_spread_over_more_than_the_window_do_not_lock(from_address, main_platform, factories, db_session):
    factories.admin(email="ops@example.lu")
    client = from_address("192.0.2.21")
    for _ in range(4):
        _login(client, "ops@example.lu", "x")
    _age_attempts(db_session, 16)
    assert _login(client, "ops@example.lu", "x").status_code == 400
    assert _login(client, "ops@example.lu", PASSWORD).status_code == 303


def test_a_successful_sign_in_forgives_the_account_but_not_the_address(from_address, main_platform, factories, db_session):
    factories.admin(email="ops@example.lu")
    client = from_address("192.0.2.22")
    for _ in range(4):
        _login(client, "ops@example.lu", "x")
    assert _login(client, "ops@example.lu", PASSWORD).status_code == 303
    remaining = db_session.scalars(select(SignInAttempt.key)).all()
    assert remaining == [throttle.Attempt("admin", "ops@example.lu", "192.0.2.22").keys()[1]] * 4
    # From elsewhere the account has a full five tries again.
    other = from_address("192.0.2.23")
    assert [_login(other, "ops@example.lu", "x").status_code for _ in range(5)] == [400] * 5


def test_sign_ins_failures_and_lockouts_are_audited(from_address, main_platform, factories, db_session):
    factories.admin(email="ops@example.lu")
    client = from_address("192.0.2.30")
    assert _login(client, "ops@example.lu", PASSWORD).status_code == 303
    client.cookies.clear()
    for _ in range(7):
        _login(client, "ops@example.lu", "x")
    actions = db_session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.startswith("auth.")).order_by(AuditEntry.id)
    ).all()
    assert actions == ["auth.signed_in"] + ["auth.sign_in_failed"] * 5 + ["auth.locked_out"]
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.locked_out"))
    assert entry.actor_label == "ops@example.lu"
    assert entry.details == {"form": "admin", "address": "192.0.2.30", "minutes": 15}


def test_the_store_sign_in_is_throttled_too(from_address, factories):
    platform = factories.platform(code="lux", name="Lux")
    store = factories.store(platform=platform, code="bakery", name="Bakery")
    factories.staff(store, role="owner", email="owner@bakery.lu")
    client = from_address("192.0.2.40")
    path = "/store/bakery/login"
    assert [_login(client, "owner@bakery.lu", "x", path).status_code for _ in range(5)] == [400] * 5
    assert _login(client, "owner@bakery.lu", PASSWORD, path).status_code == 429


def test_concurrent_guesses_are_counted_before_their_passwords_are_checked(db_session):
    """Attempts still being checked count: the sixth is refused though none has failed yet."""
    attempt = throttle.Attempt("admin", "ops@example.lu", "192.0.2.50")
    for _ in range(5):
        throttle.begin(db_session, attempt)
    with pytest.raises(TooManyAttemptsError) as refused:
        throttle.begin(db_session, attempt)
    assert refused.value.retry_after > 0
    assert db_session.query(SignInAttempt).count() == 10  # five per key; the refused one left none


def test_password_checks_run_a_few_at_a_time_and_a_crowd_gets_503(from_address, main_platform, factories, monkeypatch, db_session):
    factories.admin(email="ops@example.lu")
    monkeypatch.setattr(passwords, "WAIT_SECONDS", 0.2)
    release = threading.Event()
    held = [passwords._pool.submit(release.wait, 10) for _ in range(passwords.CONCURRENT_HASHES)]
    try:
        busy = _login(from_address("192.0.2.60"), "ops@example.lu", PASSWORD)
    finally:
        release.set()
        for job in held:
            job.result()
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
    assert "busy" in busy.text
    assert db_session.query(SignInAttempt).count() == 0  # a busy answer is not a failure
    assert _login(from_address("192.0.2.60"), "ops@example.lu", PASSWORD).status_code == 303


def test_no_more_than_the_allowed_number_of_hashes_run_at_once(monkeypatch):
    running, peak, lock = 0, 0, threading.Lock()
    real = passwords._hasher

    class Counting:
        def verify(self, *args):
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            try:
                return real.verify(*args)
            finally:
                with lock:
                    running -= 1

        def hash(self, password):
            return real.hash(password)

    monkeypatch.setattr(passwords, "_hasher", Counting())
    hashed = passwords.hash_password("a-long-password")
    peak = 0  # the hash above counts for nothing
    threads = [threading.Thread(target=passwords.verify_password, args=(hashed, "wrong")) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 <= peak <= passwords.CONCURRENT_HASHES


def test_the_storefront_sign_in_is_throttled_per_store_account(from_address, factories, db_session):
    """Shoppers' accounts belong to one store: the account lockout is that store's account's;
    the address is locked out of every storefront's form. The page says why with a retry time;
    the API answers 429 too."""
    from modules.customers.services import customer_service
    from orion_server.modules.service import module_service

    platform = factories.platform(code="lux", name="Lux")
    module_service.enable_module(db_session, platform.id, "customers")
    bakery = factories.store(platform, code="bakery", name="Bakery", languages=["en"], default_language="en")
    florist = factories.store(platform, code="florist", name="Florist", languages=["en"], default_language="en")
    for store in (bakery, florist):
        customer_service.register(db_session, store_id=store.id, email="anna@example.lu",
                                  password="a-long-secret-1", first_name="Anna", last_name="M")
    shopper = from_address("192.0.2.70")

    def sign_in(store_code: str, password: str, shopper=shopper):
        path = f"/platforms/lux/storefront/{store_code}/account/login"
        shopper.get(path)
        return shopper.post(path, data={"email": "anna@example.lu", "password": password,
                                        "csrf_token": shopper.cookies.get("orion_csrf")}, follow_redirects=False)

    assert [sign_in("bakery", "wrong").status_code for _ in range(5)] == [401] * 5
    refused = sign_in("bakery", "a-long-secret-1")
    assert refused.status_code == 429 and "Too many failed sign-ins" in refused.text
    assert int(refused.headers["Retry-After"]) > 0
    api = shopper.post("/platforms/lux/storefront/bakery/api/v1/customers/session",
                       json={"email": "anna@example.lu", "password": "a-long-secret-1"},
                       headers={"x-csrf-token": shopper.cookies.get("orion_csrf")})
    assert api.status_code == 429 and api.headers["Retry-After"]
    assert sign_in("florist", "a-long-secret-1").status_code == 429  # the address is locked out
    # Anna at the florist, from her own address, is a different account: she signs in.
    assert sign_in("florist", "a-long-secret-1", shopper=from_address("192.0.2.71")).status_code == 303
    # At the bakery her account is locked, whatever the address.
    assert sign_in("bakery", "a-long-secret-1", shopper=from_address("192.0.2.72")).status_code == 429
