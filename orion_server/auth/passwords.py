"""argon2id password hashing."""

from __future__ import annotations

import functools
import os
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from orion_server.errors import BusyError

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

# One argon2id run takes the hasher's memory (64 MiB) and its lanes keep ``parallelism`` cores
# busy: only as many run at once as the cores can carry, in threads of lowered priority, so a
# burst of sign-ins neither exhausts memory nor starves the rest of the server (/health, pages).
CONCURRENT_HASHES = max(1, (os.cpu_count() or 1) // _hasher.parallelism)
WAIT_SECONDS = 10.0
T = TypeVar("T")


def _lower_priority() -> None:
    try:  # Linux: niceness is per thread, and argon2's lane threads inherit it
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass


_pool = ThreadPoolExecutor(CONCURRENT_HASHES, thread_name_prefix="orion-argon2", initializer=_lower_priority)


def _in_pool(work: Callable[[], T]) -> T:
    """Run ``work`` on a hashing thread; BusyError if none frees up within ``WAIT_SECONDS``."""
    future = _pool.submit(work)
    try:
        return future.result(timeout=WAIT_SECONDS)
    except FutureTimeout:
        if future.cancel():
            raise BusyError("too many password checks at once; try again in a few seconds") from None
        return future.result()  # it started just now: let it finish


MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _in_pool(lambda: _hasher.hash(password))


@functools.cache
def dummy_hash() -> str:
    """A hash of a random password, made on first use (not at start-up: it costs an argon2
    run). Checked against when the account is unknown, so a sign-in takes as long either way."""
    return hash_password("not-a-real-password-" + secrets.token_hex(8))


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches; never raises for a wrong or malformed hash."""
    def verify() -> bool:
        try:
            return _hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    return _in_pool(verify)


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def password_problem(password: str) -> str | None:
    """Why a new password is unacceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    return None
