"""governance: account requests (open, change, close) with their decisions, notices and
filing clocks; a website column's kind; when an alert was sent to the organisation's
webhook

Revision ID: 0008_governance
Revises: 0005_delivery
Create Date: 2026-12-02 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import sqlmodel_db.types

revision = "0008_governance"
down_revision = "0007_record"
branch_labels = None
depends_on = None


def _date() -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=10)


def upgrade() -> None:
    op.create_table(
        "account_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=True),
        sa.Column("successor_contact", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("requested_at", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("opinion", sa.Text(), nullable=True),
        sa.Column("decided_at", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("notice_draft_id", sa.Integer(), nullable=True),
        sa.Column("notice_published_on", _date(), nullable=True),
        sa.Column("closed_on", _date(), nullable=True),
        sa.Column("filing_due", _date(), nullable=True),
        sa.Column("filed_on", _date(), nullable=True),
        sa.Column("record_no", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.ForeignKeyConstraint(["successor_id"], ["accounts.id"]),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["notice_draft_id"], ["drafts.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("account_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_requests_account_id"), ["account_id"], unique=False
        )
    op.add_column(
        "accounts",
        sa.Column("column_kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    )
    op.add_column(
        "alerts",
        sa.Column("notified_at", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("notified_at")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("column_kind")
    with op.batch_alter_table("account_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_requests_account_id"))
    op.drop_table("account_requests")
