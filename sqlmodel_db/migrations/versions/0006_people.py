"""people: the extra check a reviewer sends a draft to

Revision ID: 0006_people
Revises: 0005_delivery
Create Date: 2026-12-20 09:00:00

- ``drafts.pending_check``: the extra check (保密审查 ``check_secrecy``, 网信
  ``check_netinfo``) a reviewer sent the current version to; the draft waits for it
  before its gate is decided. The escalation and the check's decision are rows of
  ``decisions`` (verdict ``escalate``, then ``approve`` or ``reject`` at the check).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006_people"
down_revision = "0005_delivery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "drafts",
        sa.Column("pending_check", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("pending_check")
