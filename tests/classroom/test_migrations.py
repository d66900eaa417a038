"""Alembic's revision 1 on an empty database makes exactly the store's own schema."""

from __future__ import annotations

import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from pager_lab.classroom import ResultsStore, upgrade
from pager_lab.classroom.migrate import MIGRATIONS, current_revision
from pager_lab.classroom.schema import metadata
from pager_lab.classroom.target import store_url
from tests.classroom.conftest import make_result


def _second(target: str, tmp_path) -> str:
    """Another empty location on the same backend as *target*."""
    if "://" not in target:
        return str(tmp_path / "second.db")
    url = store_url(target)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"{url.database}_b"
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _schema(target: str) -> dict:
    """Every table's columns, keys, indexes and constraints, as the database reports them."""
    engine = create_engine(store_url(target))
    found = {}
    with engine.connect() as conn:
        db = inspect(conn)
        for table in sorted(db.get_table_names()):
            found[table] = {
                "columns": [
                    (c["name"], str(c["type"]), c["nullable"]) for c in db.get_columns(table)
                ],
                "primary key": db.get_pk_constraint(table)["constrained_columns"],
                "foreign keys": [
                    (f["constrained_columns"], f["referred_table"], f["options"])
                    for f in db.get_foreign_keys(table)
                ],
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in db.get_indexes(table)
                ),
                "unique": sorted(
                    tuple(u["column_names"]) for u in db.get_unique_constraints(table)
                ),
            }
        found["rows"] = conn.execute(text("SELECT version FROM schema_version")).all()
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    return {"schema": found, "differences from the code's tables": diffs}


def test_alembic_upgrade_head_makes_what_the_store_makes(store_target, tmp_path):
    migrated, created = store_target, _second(store_target, tmp_path)
    upgrade(migrated)
    ResultsStore(created).close()
    by_alembic, by_store = _schema(migrated), _schema(created)
    assert by_alembic["differences from the code's tables"] == []
    assert by_alembic == by_store
    assert set(by_store["schema"]) == {
        "alembic_version",
        "drill_results",
        "drill_steps",
        "rows",
        "schema_version",
    }
    assert current_revision(migrated) == current_revision(created) == "0001"


def test_a_migrated_store_takes_results(store_target):
    upgrade(store_target)
    with ResultsStore(store_target, create=False) as store:
        assert store.version() == 1
        assert store.add(make_result())
        assert store.count() == (1, 3)


def test_the_alembic_command_line_migrates_with_the_bundled_ini(tmp_path):
    target = tmp_path / "cli.db"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "alembic",
            "-c",
            str(MIGRATIONS / "alembic.ini"),
            "-x",
            f"url={target}",
            "upgrade",
            "head",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert current_revision(target) == "0001"
