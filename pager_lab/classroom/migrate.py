"""Alembic for the results store, from Python: the config, ``upgrade`` and the current revision.

The migration environment lives in ``pager_lab/classroom/migrations/`` (``env.py``, one file
per revision under ``versions/``). A store made by :class:`ResultsStore` is stamped at the
newest revision, so ``upgrade(target)`` after a pager_lab update brings it to the new schema.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from pager_lab.classroom.store import make_engine
from pager_lab.classroom.target import store_url

__all__ = ["MIGRATIONS", "alembic_config", "current_revision", "upgrade"]

MIGRATIONS = Path(__file__).with_name("migrations")
"""The Alembic environment (``env.py``, ``versions/``)."""


def alembic_config(target: str | Path) -> Config:
    """An Alembic config for the store at *target* (a SQLite file or a SQLAlchemy URL)."""
    config = Config(str(MIGRATIONS / "alembic.ini"))
    url = store_url(target).render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(target: str | Path, revision: str = "head") -> None:
    """Migrate the store at *target* to *revision* (creating version 1 on an empty database)."""
    command.upgrade(alembic_config(target), revision)


def current_revision(target: str | Path) -> str | None:
    """The Alembic revision the store at *target* is stamped with (None: not under Alembic)."""
    engine = make_engine(store_url(target))
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
