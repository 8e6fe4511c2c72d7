"""user language: the language the web console speaks to a person

Revision ID: 0010_user_language
Revises: 0009_reports
Create Date: 2026-12-02 10:00:00

- ``users.language``: ``zh_CN`` or ``en`` as the person chose it in the console (None:
  not chosen, the console's default). Kept on record so that it holds on every device
  the person logs in from, not in one browser's cookie.

No table with insert-only guards is touched, so no trigger is recreated.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010_user_language"
down_revision = "0009_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
