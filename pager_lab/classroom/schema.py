"""The results store's tables (schema version 1), defined once with SQLAlchemy Core.

``drill_results`` holds one row per finished drill, unique by its idempotency key;
``drill_steps`` the path taken, one row per step; ``schema_version`` one row with the
version number. Alembic's revision 1 (``migrations/versions/``) creates exactly these
(``tests/classroom/test_migrations.py`` compares them on both backends).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
)

__all__ = ["SCHEMA_VERSION", "UtcDateTime", "metadata", "results", "schema_version", "steps"]

SCHEMA_VERSION = 1
"""The version this code reads and writes; Alembic migrates older stores up to it."""


class UtcDateTime(TypeDecorator[datetime]):
    """A time-zone aware timestamp kept in UTC on every backend (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"finished_at = {value!r}: expected a time-zone aware timestamp")
        aware: datetime = value.astimezone(UTC)
        return aware.replace(tzinfo=None) if dialect.name == "sqlite" else aware

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)


metadata = MetaData()
"""Every table of the store."""

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
)
"""One row: the store's schema version."""

results = Table(
    "drill_results",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("result_key", String(32), nullable=False, unique=True),
    Column("handle", String(32), nullable=False, index=True),
    Column("scenario", String(64), nullable=False, index=True),
    Column("seed", BigInteger, nullable=False),
    Column("time_to_acknowledge", Float, nullable=True),
    Column("time_to_mitigate", Float, nullable=True),
    Column("time_to_resolve", Float, nullable=True),
    Column("impact_minutes", Float, nullable=False),
    Column("score", Float, nullable=False),
    Column("finished_at", UtcDateTime, nullable=False),
    Column("step_count", Integer, nullable=False),
)
"""One row per finished drill; ``step_count`` rows of ``drill_steps`` belong to it."""

steps = Table(
    "drill_steps",
    metadata,
    Column(
        "result_id",
        Integer,
        ForeignKey("drill_results.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("minute", Float, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("name", String(64), nullable=False),
    Column("verdict", String(24), nullable=False),
)
"""The path of each result, one row per step in order."""
