"""reports: 集中转载 deadlines, alert notes

Revision ID: 0009_reports
Revises: 0006_people
Create Date: 2026-12-02 07:00:00

- ``drafts.fanout_deadline``: when every account of a 集中转载 must have the item live
  (None: no deadline).
- ``alerts.draft_id``: the draft an alert is about (a 集中转载 running late), so one open
  alert is kept per draft and account.
- ``alerts.note``: what the person who acknowledged an alert wrote.
- ``accounts.unit_type``, ``operation_mode``, ``operator``: the filing form's 单位类型,
  运营方式 (self / outsourced) and 运维人员.

No table with insert-only guards is touched, so no trigger is recreated.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import sqlmodel_db.types

revision = "0009_reports"
down_revision = "0008_governance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unit_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
        )
        batch_op.add_column(
            sa.Column("operation_mode", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch_op.add_column(
            sa.Column("operator", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
        )
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "fanout_deadline", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=True
            )
        )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draft_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_alerts_draft_id"), ["draft_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_draft_id"))
        batch_op.drop_column("note")
        batch_op.drop_column("draft_id")
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_column("fanout_deadline")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("operator")
        batch_op.drop_column("operation_mode")
        batch_op.drop_column("unit_type")
