"""Encrypt the gateway secrets stored in plaintext in store_payment_settings.settings.

The secret fields are listed here as they were when this revision was written (the gateway
classes may change later; a migration must not); values already encrypted are left alone, so
running it after new code saved some rows is harmless.

Revision ID: payments_002
Revises: payments_001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "payments_002"
down_revision = "payments_001"
branch_labels = None
depends_on = None

settings_table = sa.table(
    "store_payment_settings",
    sa.column("id", sa.Integer()),
    sa.column("gateway", sa.String(32)),
    sa.column("settings", sa.JSON()),
)
SECRET_FIELDS = {"stripe": {"secret_key", "webhook_secret"}, "paypal": {"client_secret"}}


def _rewrite(convert) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(settings_table.c.id, settings_table.c.gateway, settings_table.c.settings)
    ).all()
    for row_id, gateway, stored in rows:
        secret = SECRET_FIELDS.get(gateway)
        if not secret or not isinstance(stored, dict):
            continue
        new = {
            name: convert(value) if name in secret and isinstance(value, str) else value
            for name, value in stored.items()
        }
        if new != stored:
            connection.execute(
                settings_table.update().where(settings_table.c.id == row_id).values(settings=new)
            )


def upgrade() -> None:
    from orion_server.secrets_box import seal

    _rewrite(seal)


def downgrade() -> None:
    # Back to the plaintext payments_001's code expects (needs the same secret key).
    from orion_server.secrets_box import reveal

    _rewrite(reveal)
