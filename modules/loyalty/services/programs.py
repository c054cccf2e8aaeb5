"""Loyalty programs and their rewards: one program per merchant, shared by the merchant's stores
(a store without a merchant has its own), set up by the store's managers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.loyalty.exceptions import LoyaltyInputError, NoProgramError, Problem
from modules.loyalty.models import LoyaltyProgram, LoyaltyReward
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import begin_write
from orion_server.models import Store

REWARD_KINDS = ("free_item", "amount_off", "percent_off")
CURRENCIES = ("stamps", "points")
MAX_NAME = 100
MAX_TERMS = 5000
MAX_REWARD_NAME = 120

SETTINGS: dict[str, tuple[int, int]] = {
    "stamps_goal": (1, 50),
    "stamps_per_order": (0, 10),
    "points_per_euro": (1, 100),
    "point_value_cents": (1, 100),
    "min_redeem_points": (1, 100_000),
    "cooldown_minutes": (0, 1440),
    "daily_stamp_cap": (1, 50),
    "pin_max_failures": (3, 10),
    "pin_lock_minutes": (5, 1440),
}
"""Whole-number settings of a program and the range each may take."""


@dataclass(frozen=True)
class ProgramOwner:
    """Who a store's program belongs to: its merchant, or the store itself."""

    platform_id: int
    merchant_id: int | None
    store_id: int | None


def owner_of(db: Session, store_id: int) -> ProgramOwner:
    """The owner of ``store_id``'s program."""
    row = db.execute(select(Store.platform_id, Store.merchant_id).where(Store.id == store_id)).one_or_none()
    if row is None:
        raise NoProgramError(f"no store {store_id}")
    platform_id, merchant_id = row
    return ProgramOwner(platform_id, merchant_id, None if merchant_id else store_id)


def program_for_store(db: Session, store_id: int) -> LoyaltyProgram | None:
    """The program ``store_id`` takes part in (its merchant's, or its own), or None."""
    owner = owner_of(db, store_id)
    if owner.merchant_id is not None:
        return db.scalar(select(LoyaltyProgram).where(LoyaltyProgram.merchant_id == owner.merchant_id))
    return db.scalar(select(LoyaltyProgram).where(LoyaltyProgram.store_id == store_id))


def active_program(db: Session, store_id: int) -> LoyaltyProgram:
    """The store's running program; NoProgramError when it has none or it is paused."""
    program = program_for_store(db, store_id)
    if program is None or not program.is_active:
        raise NoProgramError(f"store {store_id} runs no loyalty program")
    return program


def program_store_ids(db: Session, program: LoyaltyProgram) -> list[int]:
    """The stores taking part in ``program``."""
    if program.merchant_id is not None:
        return list(db.scalars(select(Store.id).where(Store.merchant_id == program.merchant_id).order_by(Store.id)))
    return [program.store_id] if program.store_id is not None else []


def _whole(raw: Any, name: str, problems: list[Problem], low: int, high: int) -> int | None:
    """``raw`` as a whole number from ``low`` to ``high``; else None, with the problem noted."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        problems.append(Problem(name, "loyalty.errors.whole_number", {"min": low, "max": high}))
        return None
    if not low <= value <= high:
        problems.append(Problem(name, "loyalty.errors.between", {"min": low, "max": high}))
        return None
    return value


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in {"1", "true", "on", "yes"}


def clean_program(values: Mapping[str, Any]) -> dict[str, Any]:
    """The program's settings from a form or API body; LoyaltyInputError naming every bad field."""
    problems: list[Problem] = []
    name = str(values.get("name") or "").strip()
    if not name:
        problems.append(Problem("name", "loyalty.errors.name_required"))
    elif len(name) > MAX_NAME:
        problems.append(Problem("name", "loyalty.errors.too_long", {"max": MAX_NAME}))
    cleaned: dict[str, Any] = {
        "name": name,
        "is_active": _truthy(values.get("is_active")),
        "stamps_enabled": _truthy(values.get("stamps_enabled")),
        "points_enabled": _truthy(values.get("points_enabled")),
    }
    if not cleaned["stamps_enabled"] and not cleaned["points_enabled"]:
        problems.append(Problem("stamps_enabled", "loyalty.errors.stamps_or_points"))
    for setting in SETTINGS:
        cleaned[setting] = _whole(values.get(setting), setting, problems, *SETTINGS[setting])
    texts: dict[str, dict[str, str]] = {}
    for language in SUPPORTED_LANGUAGES:
        terms = str(values.get(f"terms_{language}") or "").replace("\r\n", "\n").strip()
        if len(terms) > MAX_TERMS:
            problems.append(Problem(f"terms_{language}", "loyalty.errors.too_long", {"max": MAX_TERMS}))
        if terms:
            texts[language] = {"terms": terms}
    cleaned["texts"] = texts
    if problems:
        raise LoyaltyInputError(problems)
    return cleaned


def save_program(db: Session, *, store_id: int, values: Mapping[str, Any]) -> LoyaltyProgram:
    """Create the store's program, or change the one it takes part in."""
    cleaned = clean_program(values)
    begin_write(db)
    program = program_for_store(db, store_id)
    if program is None:
        owner = owner_of(db, store_id)
        program = LoyaltyProgram(platform_id=owner.platform_id, merchant_id=owner.merchant_id, store_id=owner.store_id)
        db.add(program)
    for key, value in cleaned.items():
        setattr(program, key, value)
    db.commit()
    return program


def new_program_values() -> dict[str, Any]:
    """The settings a new program starts from: the model's defaults (the original's rules)."""
    values: dict[str, Any] = {"name": ""}
    for column in LoyaltyProgram.__table__.columns:
        default = column.default
        if default is not None and default.is_scalar and column.name in {"is_active", "stamps_enabled",
                                                                         "points_enabled", *SETTINGS}:
            values[column.name] = default.arg
    return values


def terms_in(program: LoyaltyProgram, language: str, fallback: str) -> str:
    """The program's terms in ``language``, else in ``fallback``, else ''."""
    texts = program.texts or {}
    return (texts.get(language) or texts.get(fallback) or {}).get("terms", "")


# -- rewards ----------------------------------------------------------------------------------


def clean_reward(values: Mapping[str, Any]) -> dict[str, Any]:
    """A reward from a form or API body; LoyaltyInputError naming every bad field."""
    problems: list[Problem] = []
    kind = str(values.get("kind") or "")
    if kind not in REWARD_KINDS:
        problems.append(Problem("kind", "loyalty.errors.reward_kind"))
    currency = str(values.get("currency") or "")
    if currency not in CURRENCIES:
        problems.append(Problem("currency", "loyalty.errors.reward_currency"))

    cost = _whole(values.get("cost"), "cost", problems, 1, 1_000_000)
    value: int | None = 0
    if kind == "amount_off":
        value = _whole(values.get("value"), "value", problems, 1, 100_000)
    elif kind == "percent_off":
        value = _whole(values.get("value"), "value", problems, 1, 100)
    names = {}
    for language in SUPPORTED_LANGUAGES:
        text = str(values.get(f"name_{language}") or "").strip()
        if len(text) > MAX_REWARD_NAME:
            problems.append(Problem(f"name_{language}", "loyalty.errors.too_long", {"max": MAX_REWARD_NAME}))
        if text:
            names[language] = text
    if not names:
        problems.append(Problem(f"name_{SUPPORTED_LANGUAGES[0]}", "loyalty.errors.reward_name_required"))
    if problems:
        raise LoyaltyInputError(problems)
    return {"kind": kind, "currency": currency, "cost": cost, "value": value, "names": names,
            "is_active": _truthy(values.get("is_active", True))}


def save_reward(db: Session, *, store_id: int, values: Mapping[str, Any], reward_id: int | None = None) -> LoyaltyReward:
    """Add a reward to the store's program, or change one of its rewards."""
    cleaned = clean_reward(values)
    begin_write(db)
    program = active_or_paused(db, store_id)
    if reward_id is None:
        reward = LoyaltyReward(program_id=program.id)
        db.add(reward)
    else:
        reward = get_reward(db, program, reward_id)
    for key, value in cleaned.items():
        setattr(reward, key, value)
    db.commit()
    return reward


def active_or_paused(db: Session, store_id: int) -> LoyaltyProgram:
    """The store's program, running or paused; NoProgramError when it has none."""
    program = program_for_store(db, store_id)
    if program is None:
        raise NoProgramError(f"store {store_id} has no loyalty program")
    return program


def get_reward(db: Session, program: LoyaltyProgram, reward_id: int) -> LoyaltyReward:
    """A reward of ``program``; NoProgramError (404) for any other id."""
    reward = db.get(LoyaltyReward, reward_id)
    if reward is None or reward.program_id != program.id:
        raise NoProgramError(f"no reward {reward_id}")
    return reward


def rewards_of(program: LoyaltyProgram, *, active_only: bool = True) -> list[LoyaltyReward]:
    """The program's rewards, cheapest first (stamps before points)."""
    rewards = [r for r in program.rewards if r.is_active or not active_only]
    return sorted(rewards, key=lambda r: (r.currency != "stamps", r.cost, r.id))
