"""Alembic's environment for the class results store.

Run from Python (``pager_lab.classroom.migrate.upgrade(url)``) or from a shell::

    alembic -c pager_lab/classroom/migrations/alembic.ini -x url=sqlite:///results.db upgrade head

The URL comes from ``-x url=...``, else the config's ``sqlalchemy.url``; a connection a caller
put in ``config.attributes["connection"]`` is used as it is. Migrations run on the store's own
engine (SQLite: WAL, busy timeout, immediate write locks).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from pager_lab.classroom.schema import metadata
from pager_lab.classroom.store import make_engine
from pager_lab.classroom.target import store_url


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Upgrade (or downgrade) the store at the configured URL."""
    config = context.config
    given = config.attributes.get("connection")
    if given is not None:
        _migrate(given)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("alembic: give the store as -x url=FILE_OR_URL")
    engine = make_engine(store_url(url))
    try:
        with engine.connect() as connection:
            _migrate(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("alembic: the results store migrates online only (no --sql)")
run_migrations_online()
