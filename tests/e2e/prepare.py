"""Prepare a demo installation for the shopper journey, as its operator would: the demo
platform sends e-mail through a local SMTP server, and the bakery has an owner (on the Business
plan, room for a team) and a staff member; loyalty is on.

Run inside the installation's environment (``python -m tests.e2e.prepare --smtp-port N
--staff-email E --staff-password P``), so it uses the installation's database and key.
"""

from __future__ import annotations

import argparse

from modules.billing.services.subscription_service import subscription_service
from modules.messaging.services import smtp_service
from orion_server.accounts import add_store_member, create_user
from orion_server.database import session_scope
from orion_server.models import Platform, Store
from orion_server.modules.service import module_service

STORE = "boulangerie-dupont"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--staff-email", required=True)
    parser.add_argument("--staff-password", required=True)
    parser.add_argument("--owner-email", default="marc@boulangerie-dupont.lu")
    parser.add_argument("--owner-password", default="Owner-pass-2026")
    args = parser.parse_args()
    with session_scope() as session:
        platform = session.query(Platform).filter_by(code="demo").one()
        smtp_service.save(
            session, platform_id=platform.id, host="127.0.0.1", port=args.smtp_port, security="none",
            from_address="bonjour@boulangerie-dupont.lu", from_name="Boulangerie Dupont",
        )
        user = create_user(session, email=args.staff_email, password=args.staff_password,
                           full_name="Claire Staff", language="de")
        # a member with the built-in staff role (not the owner): they see and move orders on
        add_store_member(session, store_code=STORE, user_id=user.id, role="staff")
        # the store's owner, on a plan with room for a team (the team journey invites someone)
        owner = create_user(session, email=args.owner_email, password=args.owner_password,
                            full_name="Marc Dupont", language="en")
        add_store_member(session, store_code=STORE, user_id=owner.id, role="owner")
        store = session.query(Store).filter_by(code=STORE).one()
        subscription_service.activate(session, store_id=store.id, tier="business")
        # the loyalty journey: the operator turns loyalty on for the demo platform
        module_service.enable_module(session, platform.id, "loyalty")
    print("prepared")


if __name__ == "__main__":
    main()
