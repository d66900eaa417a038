"""The class results store: every student's finished drills in one database.

SQLAlchemy Core over one SQLite file by default (WAL journal, a 30-second busy timeout, every
write ``BEGIN IMMEDIATE`` so thirty students finishing at once queue instead of failing) or
any SQLAlchemy URL — PostgreSQL (psycopg 3) is the tested server for a shared JupyterHub.

Each write is one transaction: a result and its path land together or not at all, so a
process killed mid-write leaves no half row. Each result carries an idempotency key (a digest
of its content): writing it again — a retry after a dropped connection — stores nothing new.
The schema is version 1 (``schema.py``); a new store is created from the table definitions
and stamped at Alembic's head, so later versions migrate with ``alembic upgrade head``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import (
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    OperationalError,
    SQLAlchemyError,
)

from pager_lab.classroom.results import DrillResult, PathStep, check_handle
from pager_lab.classroom.schema import SCHEMA_VERSION, metadata, results, schema_version, steps
from pager_lab.classroom.target import StoreError, masked, scrub, store_url

__all__ = ["BUSY_TIMEOUT_SECONDS", "ResultsStore", "make_engine"]

BUSY_TIMEOUT_SECONDS = 30.0
"""How long a SQLite writer waits for another's transaction (a teaching assumption: thirty
writes of a few milliseconds each finish well within it)."""
CONNECT_TIMEOUT_SECONDS = 5
"""How long to wait for a database server before saying it cannot be reached."""
LOCKED_ATTEMPTS = 8
"""Tries of a transaction that SQLite refuses with "database is locked" although the busy
timeout should have queued it: it happens when many processes open a new file at once (one
sets up WAL while another opens). Each pause is longer than the last (50 ms, 100 ms, ...);
the transaction is rolled back before a retry and results carry an idempotency key, so a
retry never doubles a row."""
_T = TypeVar("_T")
_LOCK_ID = 7_311_605  # PostgreSQL advisory lock: one process creates the tables at a time
_MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: URL) -> Engine:
    """An engine for *url*: SQLite in WAL mode with a busy timeout and immediate write locks."""
    try:
        if url.get_backend_name() == "sqlite":
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS} if _is_postgres(url) else {}
        return create_engine(url, connect_args=args, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError, SQLAlchemyError) as exc:
        raise StoreError(
            f"store = {masked(url)!r}: no database driver for {url.drivername!r}"
            f" ({scrub(str(exc), url)}; expected sqlite or postgresql+psycopg)"
        ) from None


def _is_postgres(url: URL) -> bool:
    return url.get_backend_name() == "postgresql"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE takes the write lock at once, so a writer waits (busy timeout) instead of
    # failing when it upgrades a read lock.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class ResultsStore:
    """A class's results: add finished drills, read them as rows, forget a student.

    ``ResultsStore("results.db")`` or ``ResultsStore("postgresql+psycopg://ta@db/class")``;
    *create* False refuses to make a new store (the commands that only read or delete)."""

    def __init__(self, target: str | Path, *, create: bool = True) -> None:
        self.url = store_url(target)
        """The store's SQLAlchemy URL (show it with :attr:`where`, which hides a password)."""
        is_file = self.url.get_backend_name() == "sqlite"
        if is_file and Path(str(self.url.database)).is_dir():
            raise StoreError(f"{self.where} is a folder: expected a results store file")
        if not create and is_file and not Path(str(self.url.database)).is_file():
            raise StoreError(
                f"no results store file {self.where} (run a drill with the store set,"
                " or give --store FILE_OR_URL)"
            )
        self._engine = make_engine(self.url)
        self._transaction("open", lambda conn: self._ensure_schema(conn, create))

    @property
    def where(self) -> str:
        """The store's file or URL, password masked."""
        return masked(self.url)

    def __repr__(self) -> str:
        return f"ResultsStore({self.where!r})"

    def close(self) -> None:
        """Release the store's connections."""
        self._engine.dispose()

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _reporting(self, doing: str) -> Iterator[None]:
        """Turn a database failure into one line that names the store (password masked)."""
        try:
            yield
        except StoreError:
            raise
        except DBAPIError as exc:
            reason = scrub(str(exc.orig), self.url)
            if exc.connection_invalidated or "connect" in reason.lower():
                raise StoreError(f"cannot reach the results store {self.where}: {reason}") from None
            raise StoreError(f"results store {self.where}: {doing} failed: {reason}") from None
        except SQLAlchemyError as exc:
            reason = scrub(str(exc), self.url)
            raise StoreError(f"results store {self.where}: {doing} failed: {reason}") from None

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._engine.begin() as conn:
            if _is_postgres(self.url):
                conn.execute(select(func.pg_advisory_xact_lock(_LOCK_ID)))
            yield conn

    def _transaction(self, doing: str, work: Callable[[Connection], _T]) -> _T:
        """*work* in one write transaction, retried when SQLite says "database is locked"
        (:data:`LOCKED_ATTEMPTS`); any other failure is one line naming the store."""
        with self._reporting(doing):
            for attempt in range(1, LOCKED_ATTEMPTS + 1):
                try:
                    with self._write() as conn:
                        return work(conn)
                except OperationalError as exc:
                    if attempt == LOCKED_ATTEMPTS or "database is locked" not in str(exc.orig):
                        raise
                time.sleep(0.05 * attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _ensure_schema(self, conn: Connection, create: bool) -> None:
        tables = set(inspect(conn).get_table_names())
        if schema_version.name in tables:
            found = conn.execute(select(func.max(schema_version.c.version))).scalar()
            if found != SCHEMA_VERSION:
                raise StoreError(
                    f"results store {self.where} has schema version {found}; this pager_lab"
                    f" reads version {SCHEMA_VERSION} (run `alembic upgrade head`, or update"
                    " pager_lab)"
                )
            return
        if results.name in tables:
            raise StoreError(f"{self.where} has a drill_results table but no schema_version")
        if not create:
            raise StoreError(f"no pager_lab results store in {self.where} (no schema_version)")
        metadata.create_all(conn)
        conn.execute(schema_version.insert().values(version=SCHEMA_VERSION))
        _stamp_head(conn)

    def add(self, result: DrillResult) -> bool:
        """Store *result* and its path in one transaction; False if it was already stored."""
        return self._transaction("writing a result", lambda conn: self._add(conn, result))

    def _add(self, conn: Connection, result: DrillResult) -> bool:
        if self._has_key(conn, result.key):
            return False
        try:
            with conn.begin_nested():
                inserted = conn.execute(results.insert().values(**_row(result)))
                key = inserted.inserted_primary_key
                result_id = int(key[0]) if key else 0
        except IntegrityError:  # another writer stored the same key just now
            if self._has_key(conn, result.key):
                return False
            raise
        if result.path:
            conn.execute(steps.insert(), _step_rows(result_id, result.path))
        return True

    @staticmethod
    def _has_key(conn: Connection, key: str) -> bool:
        found = conn.execute(select(results.c.id).where(results.c.result_key == key)).first()
        return found is not None

    def forget(self, handle: str) -> int:
        """Delete every result (and path) of *handle*, in any mix of upper and lower case
        (``Ada`` and ``ada`` are one person to forget); how many results there were."""
        check_handle(handle)
        same = func.lower(results.c.handle) == handle.lower()

        def delete(conn: Connection) -> int:
            ids = select(results.c.id).where(same)
            conn.execute(steps.delete().where(steps.c.result_id.in_(ids)))
            return int(conn.execute(results.delete().where(same)).rowcount)

        return self._transaction("forgetting a student", delete)

    def count(self) -> tuple[int, int]:
        """How many results and path steps the store holds."""
        with self._reporting("counting"), self._engine.connect() as conn:
            n_results = conn.execute(select(func.count()).select_from(results)).scalar_one()
            n_steps = conn.execute(select(func.count()).select_from(steps)).scalar_one()
            return int(n_results), int(n_steps)

    def result_rows(self) -> list[dict[str, Any]]:
        """Every result as a dict (columns of ``drill_results``), oldest first."""
        query = select(results).order_by(results.c.finished_at, results.c.id)
        with self._reporting("reading results"), self._engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def step_rows(self) -> list[dict[str, Any]]:
        """Every path step, with its result's handle and scenario, in order."""
        query = (
            select(results.c.handle, results.c.scenario, steps)
            .join(results, results.c.id == steps.c.result_id)
            .order_by(steps.c.result_id, steps.c.position)
        )
        with self._reporting("reading paths"), self._engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def results(self) -> list[DrillResult]:
        """Every stored result rebuilt as a :class:`DrillResult` (its key recomputed equal)."""
        paths: dict[int, list[PathStep]] = {}
        for step in self.step_rows():
            paths.setdefault(step["result_id"], []).append(
                PathStep(step["minute"], step["kind"], step["name"], step["verdict"])
            )
        return [
            DrillResult(
                handle=row["handle"],
                scenario=row["scenario"],
                seed=row["seed"],
                path=tuple(paths.get(row["id"], ())),
                time_to_acknowledge=row["time_to_acknowledge"],
                time_to_mitigate=row["time_to_mitigate"],
                time_to_resolve=row["time_to_resolve"],
                impact_minutes=row["impact_minutes"],
                score=row["score"],
                finished_at=row["finished_at"],
            )
            for row in self.result_rows()
        ]

    def version(self) -> int:
        """The store's schema version."""
        with self._reporting("reading the schema version"), self._engine.connect() as conn:
            return int(conn.execute(select(func.max(schema_version.c.version))).scalar_one())

    def ping(self) -> None:
        """Raise :class:`StoreError` unless the store answers."""
        with self._reporting("ping"), self._engine.connect() as conn:
            conn.execute(text("SELECT 1"))


def _row(result: DrillResult) -> dict[str, Any]:
    return {
        "result_key": result.key,
        "handle": result.handle,
        "scenario": result.scenario,
        "seed": result.seed,
        "time_to_acknowledge": result.time_to_acknowledge,
        "time_to_mitigate": result.time_to_mitigate,
        "time_to_resolve": result.time_to_resolve,
        "impact_minutes": result.impact_minutes,
        "score": result.score,
        "finished_at": result.finished_at,
        "step_count": len(result.path),
    }


def _step_rows(result_id: int, path: tuple[PathStep, ...]) -> list[dict[str, Any]]:
    return [
        {
            "result_id": result_id,
            "position": position,
            "minute": step.minute,
            "kind": step.kind,
            "name": step.name,
            "verdict": step.verdict,
        }
        for position, step in enumerate(path)
    ]


def _stamp_head(conn: Connection) -> None:
    """Record in Alembic's version table that this new store is at the newest revision."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(_MIGRATIONS))
    MigrationContext.configure(conn).stamp(script, "head")
