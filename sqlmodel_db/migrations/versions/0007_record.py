"""record: the audit chain keyed

Revision ID: 0007_record
Revises: 0005_delivery
Create Date: 2026-12-20 09:00:00

- ``audit_events.keyed``: the event's hash is an HMAC-SHA256 under the audit key (kept
  in a Prefect Secret block, never here). Events written before are left as they are
  (``keyed`` false, plain SHA-256) and verified as before; the first event written
  after this migration begins the keyed part of the chain (``audit.keyed``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_record"
down_revision = "0006_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "audit_events",
        sa.Column("keyed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("keyed")
