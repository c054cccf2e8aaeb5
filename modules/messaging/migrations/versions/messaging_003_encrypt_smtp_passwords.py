"""Encrypt the SMTP passwords stored in plaintext (values already encrypted are left alone).

The column becomes TEXT first: an encrypted password is longer than the 500 characters typed.

Revision ID: messaging_003
Revises: messaging_002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "messaging_003"
down_revision = "messaging_002"
branch_labels = None
depends_on = None

smtp_settings = sa.table(
    "smtp_settings", sa.column("id", sa.Integer()), sa.column("password", sa.String(500))
)


def _rewrite(convert) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(smtp_settings.c.id, smtp_settings.c.password)).all()
    for row_id, password in rows:
        new = convert(password or "")
        if new != (password or ""):
            connection.execute(
                smtp_settings.update().where(smtp_settings.c.id == row_id).values(password=new)
            )


def upgrade() -> None:
    from orion_server.secrets_box import seal

    with op.batch_alter_table("smtp_settings") as batch:
        batch.alter_column(
            "password", existing_type=sa.String(500), type_=sa.Text(), existing_nullable=False
        )
    _rewrite(seal)


def downgrade() -> None:
    # Back to the plaintext the previous code expects (needs the same secret key).
    from orion_server.secrets_box import reveal

    _rewrite(reveal)
    with op.batch_alter_table("smtp_settings") as batch:
        batch.alter_column(
            "password", existing_type=sa.Text(), type_=sa.String(500), existing_nullable=False
        )
