"""console: passwords, web sessions, working copies and the time a draft reached its gate

Revision ID: 0002_console
Revises: 0001_baseline
Create Date: 2026-12-02 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import sqlmodel_db.types

revision = "0002_console"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_hash", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "password_set_at", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column(
                "last_failed_login", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("locked_until", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("failed_logins", server_default=None)

    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_reason", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_sessions_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("draft_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("submitted_at", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("gate_since", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=True)
        )

    # Every version but an unsubmitted draft's current one has been submitted; drafts in
    # review have waited at their gate since their last change.
    op.execute(
        """
        UPDATE draft_versions SET submitted_at = created_at
        WHERE EXISTS (
            SELECT 1 FROM drafts d WHERE d.id = draft_versions.draft_id
            AND (draft_versions.number < d.version_number OR d.state <> 'draft')
        )
        """
    )
    op.execute("UPDATE drafts SET gate_since = updated_at WHERE state = 'in_review'")


def downgrade() -> None:
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_column("gate_since")
    with op.batch_alter_table("draft_versions", schema=None) as batch_op:
        batch_op.drop_column("submitted_at")
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_sessions_user_id"))
    op.drop_table("web_sessions")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("last_failed_login")
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("password_set_at")
        batch_op.drop_column("password_hash")
