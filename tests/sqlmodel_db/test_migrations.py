"""Migrations are the only way the schema is made, and they match the models."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from sqlmodel_db.migrate import HEAD, current_revision, head_revision, is_current


def test_head_constant_matches_alembic() -> None:
    assert head_revision() == HEAD


def test_upgrade_creates_every_table_and_matches_the_models(engine: Any) -> None:
    assert current_revision(engine) == HEAD and is_current(engine)
    names = set(inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= names
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_upgrade_twice_is_harmless(engine: Any) -> None:
    from sqlmodel_db.migrate import upgrade

    upgrade(engine)
    assert current_revision(engine) == HEAD
