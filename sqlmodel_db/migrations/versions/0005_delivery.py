"""delivery: results apart from attempts, variants keyed by hash, insert-only guards,
organisation settings

Revision ID: 0005_delivery
Revises: 0004_platforms
Create Date: 2026-12-10 09:00:00

- ``delivery_results``: what came of each attempt, appended; the attempt row itself is
  never changed after it is written (before its request leaves).
- ``variants`` are no longer unique per (version, channel): rendering a version again
  adds a row when the result differs (its newest row is the current one).
- Triggers refuse an UPDATE of blobs, variants, delivery_attempts and delivery_results,
  and a DELETE of any of them except the variants of a version not yet submitted (an
  author's working copy). SQLite drops a table's triggers when a migration rebuilds the
  table (batch mode): a later migration that alters one of these tables must create its
  triggers again (``create_guards()`` below); a test fails if they are missing.
- ``org_settings``: site URL, time zone and thresholds an admin sets, on record.

``accounts.credentials_expire_at`` comes from 0004_platforms. The guards are created
last, after every table change here and in 0004, so no batch rebuild drops them.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import sqlmodel_db.types

revision = "0005_delivery"
down_revision = "0004_platforms"
branch_labels = None
depends_on = None

INSERT_ONLY = ("blobs", "delivery_attempts", "delivery_results")


def create_guards() -> None:
    """The insert-only triggers (see the module docstring)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE OR REPLACE FUNCTION matrixpub_insert_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'matrixpub: % rows are insert-only (% refused)',
                    TG_TABLE_NAME, TG_OP;
            END $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            """
            CREATE OR REPLACE FUNCTION matrixpub_variant_guard() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE' OR EXISTS (
                    SELECT 1 FROM draft_versions v
                    WHERE v.id = OLD.version_id AND v.submitted_at IS NOT NULL
                ) THEN
                    RAISE EXCEPTION 'matrixpub: variants are insert-only (% refused)', TG_OP;
                END IF;
                RETURN OLD;
            END $$ LANGUAGE plpgsql
            """
        )
        for table in INSERT_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION matrixpub_insert_only()"
            )
        op.execute(
            "CREATE TRIGGER variants_insert_only BEFORE UPDATE OR DELETE ON variants "
            "FOR EACH ROW EXECUTE FUNCTION matrixpub_variant_guard()"
        )
        return
    for table in INSERT_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'matrixpub: {table} rows are insert-only "
                f"({verb} refused)'); END"
            )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS variants_no_update BEFORE UPDATE ON variants "
        "BEGIN SELECT RAISE(ABORT, 'matrixpub: variants are insert-only (UPDATE refused)'); END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS variants_no_delete BEFORE DELETE ON variants "
        "WHEN (SELECT submitted_at FROM draft_versions WHERE id = OLD.version_id) IS NOT NULL "
        "BEGIN SELECT RAISE(ABORT, 'matrixpub: variants are insert-only (DELETE refused)'); END"
    )


def drop_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in (*INSERT_ONLY, "variants"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS matrixpub_insert_only()")
        op.execute("DROP FUNCTION IF EXISTS matrixpub_variant_guard()")
        return
    for table in (*INSERT_ONLY, "variants"):
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")


def _drop_variant_key() -> None:
    """Drop the unique key on (version_id, channel), unnamed in the baseline: PostgreSQL
    named it ``variants_version_id_channel_key``; SQLite kept it unnamed, so batch mode
    names it to drop it."""
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("variants_version_id_channel_key", "variants", type_="unique")
    else:
        with op.batch_alter_table(
            "variants", naming_convention={"uq": "uq_%(table_name)s_%(column_0_N_name)s"}
        ) as batch_op:
            batch_op.drop_constraint("uq_variants_version_id_channel", type_="unique")
    op.create_index("ix_variants_version_channel", "variants", ["version_id", "channel"])


def upgrade() -> None:
    op.create_table(
        "delivery_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("receipt", sa.JSON(), nullable=True),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["delivery_attempts.id"]),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("delivery_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_delivery_results_attempt_id"), ["attempt_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_delivery_results_post_id"), ["post_id"], unique=False)
    op.execute(
        """
        INSERT INTO delivery_results (attempt_id, post_id, at, outcome, detail, applied)
        SELECT id, post_id, COALESCE(finished_at, started_at), outcome, detail, TRUE
        FROM delivery_attempts WHERE outcome IS NOT NULL
        """
    )
    with op.batch_alter_table("delivery_attempts", schema=None) as batch_op:
        batch_op.drop_column("detail")
        batch_op.drop_column("outcome")
        batch_op.drop_column("finished_at")

    _drop_variant_key()

    op.create_table(
        "org_settings",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("key"),
    )
    create_guards()


def downgrade() -> None:
    drop_guards()
    op.drop_table("org_settings")
    op.drop_index("ix_variants_version_channel", "variants")
    # Back to one row per (version, channel): the newest of each stays.
    op.execute(
        """
        DELETE FROM variants WHERE id NOT IN (
            SELECT MAX(id) FROM variants GROUP BY version_id, channel
        ) AND id NOT IN (SELECT variant_id FROM posts)
        """
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            "variants_version_id_channel_key" if postgres else "uq_variants_version_id_channel",
            ["version_id", "channel"],
        )
    with op.batch_alter_table("delivery_attempts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("finished_at", sqlmodel_db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch_op.add_column(sa.Column("detail", sa.Text(), nullable=True))
    op.execute(
        """
        UPDATE delivery_attempts SET
            finished_at = (SELECT MAX(r.at) FROM delivery_results r
                           WHERE r.attempt_id = delivery_attempts.id),
            outcome = (SELECT r.outcome FROM delivery_results r
                       WHERE r.attempt_id = delivery_attempts.id ORDER BY r.id DESC LIMIT 1),
            detail = (SELECT r.detail FROM delivery_results r
                      WHERE r.attempt_id = delivery_attempts.id ORDER BY r.id DESC LIMIT 1)
        """
    )
    with op.batch_alter_table("delivery_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_results_post_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_results_attempt_id"))
    op.drop_table("delivery_results")
