"""Store roles and team invitations: a member holds a built-in role (owner, manager, staff) and
any of the store's own roles; permissions no longer sit on the membership.

Existing memberships keep exactly what they could do: an owner stays owner; any other member's
permission list becomes a store role ("Permissions before roles", one per distinct list) and
their built-in role is cleared, since the built-in manager and staff roles now grant more than
the empty sets they used to.

Revision ID: orion_007
Revises: orion_006
Create Date: 2026-12-06
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "orion_007"
down_revision = "orion_006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    now = sa.func.now()
    op.create_table(
        "store_roles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("store_id", sa.Integer(), sa.ForeignKey("stores.id", name="fk_store_roles_store_id_stores",
                                                          ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.String(300), nullable=False, server_default=""),
        sa.Column("permissions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
        sa.UniqueConstraint("store_id", "name", name="uq_store_roles_store_id_name"),
    )
    op.create_index("ix_store_roles_store_id", "store_roles", ["store_id"])
    op.create_table(
        "store_member_roles",
        sa.Column("membership_id", sa.Integer(),
                  sa.ForeignKey("store_memberships.id", name="fk_store_member_roles_membership_id_store_memberships",
                                ondelete="CASCADE"), primary_key=True),
        sa.Column("role_id", sa.Integer(),
                  sa.ForeignKey("store_roles.id", name="fk_store_member_roles_role_id_store_roles",
                                ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_store_member_roles_role_id", "store_member_roles", ["role_id"])
    op.create_table(
        "store_invitations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("store_id", sa.Integer(),
                  sa.ForeignKey("stores.id", name="fk_store_invitations_store_id_stores", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("role", sa.String(30), nullable=True),
        sa.Column("role_ids", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("invited_by_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_store_invitations_invited_by_id_users", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_store_invitations_token_hash"),
    )
    op.create_index("ix_store_invitations_store_id", "store_invitations", ["store_id"])

    bind = op.get_bind()
    memberships = sa.table("store_memberships", sa.column("id", sa.Integer), sa.column("store_id", sa.Integer),
                           sa.column("role", sa.String), sa.column("permissions", sa.JSON))
    roles = sa.table("store_roles", sa.column("id", sa.Integer), sa.column("store_id", sa.Integer),
                     sa.column("name", sa.String), sa.column("description", sa.String),
                     sa.column("permissions", sa.JSON))
    links = sa.table("store_member_roles", sa.column("membership_id", sa.Integer), sa.column("role_id", sa.Integer))
    made: dict[tuple[int, tuple[str, ...]], int] = {}
    for row in bind.execute(sa.select(memberships)).all():
        if row.role == "owner":
            continue
        granted = row.permissions
        if isinstance(granted, str):
            granted = json.loads(granted)
        granted = tuple(sorted(set(granted or ())))
        if granted:
            key = (row.store_id, granted)
            if key not in made:
                number = sum(1 for store_id, _ in made if store_id == row.store_id) + 1
                made[key] = bind.execute(
                    roles.insert().values(store_id=row.store_id, name=f"Permissions before roles {number}",
                                          description="", permissions=list(granted)).returning(roles.c.id)
                ).scalar_one()
            bind.execute(links.insert().values(membership_id=row.id, role_id=made[key]))
        bind.execute(memberships.update().where(memberships.c.id == row.id).values(role=None))

    with op.batch_alter_table("store_memberships") as batch:
        batch.alter_column("role", existing_type=sa.String(30), nullable=True)
        batch.drop_column("permissions")


def downgrade() -> None:
    with op.batch_alter_table("store_memberships") as batch:
        batch.add_column(sa.Column("permissions", sa.JSON(), nullable=False, server_default="[]"))
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE store_memberships SET role = 'staff' WHERE role IS NULL"))
    with op.batch_alter_table("store_memberships") as batch:
        batch.alter_column("role", existing_type=sa.String(30), nullable=False)
    op.drop_index("ix_store_invitations_store_id", "store_invitations")
    op.drop_table("store_invitations")
    op.drop_index("ix_store_member_roles_role_id", "store_member_roles")
    op.drop_table("store_member_roles")
    op.drop_index("ix_store_roles_store_id", "store_roles")
    op.drop_table("store_roles")
