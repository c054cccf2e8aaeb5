"""One-time tokens name their purpose: the console's sign-in link, or a staff password reset.

Revision ID: orion_005
Revises: orion_004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "orion_005"
down_revision = "orion_004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_tokens") as batch:
        batch.add_column(sa.Column("purpose", sa.String(20), nullable=False, server_default="sign_in"))


def downgrade() -> None:
    with op.batch_alter_table("login_tokens") as batch:
        batch.drop_column("purpose")
