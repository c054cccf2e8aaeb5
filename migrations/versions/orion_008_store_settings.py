"""The store settings page: contact e-mail and phone, postal address, VAT number and logo.

Revision ID: orion_008
Revises: orion_007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "orion_008"
down_revision = "orion_007"
branch_labels = None
depends_on = None

COLUMNS = (
    ("contact_email", 255),
    ("contact_phone", 50),
    ("address", 500),
    ("vat_number", 20),
    ("logo_file", 100),
)


def upgrade() -> None:
    with op.batch_alter_table("stores") as batch:
        for name, length in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stores") as batch:
        for name, _length in reversed(COLUMNS):
            batch.drop_column(name)
