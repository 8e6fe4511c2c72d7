"""platforms: unsigned webhooks, credential expiry, pictures a platform already holds

Revision ID: 0004_platforms
Revises: 0002_console
Create Date: 2026-12-05 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import sqlmodel_db.types

revision = "0004_platforms"
down_revision = "0002_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unsigned", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column(
                "credentials_expire_at",
                sqlmodel_db.types.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.alter_column("unsigned", server_default=None)

    op.create_table(
        "platform_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "kind", "sha256"),
    )
    with op.batch_alter_table("platform_media", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_platform_media_account_id"), ["account_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("platform_media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_platform_media_account_id"))
    op.drop_table("platform_media")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("credentials_expire_at")
        batch_op.drop_column("unsigned")
