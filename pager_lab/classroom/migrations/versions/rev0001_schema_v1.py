"""Schema version 1: drill results, their paths, and the schema_version table.

Revision ID: 0001
Revises:
Create Date: 2026-11-29

Frozen: later revisions change the schema; this one never changes (it does not import the
live table definitions, which move on).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the three tables and record version 1."""
    version = op.create_table(
        "schema_version",
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    )
    op.create_table(
        "drill_results",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("result_key", sa.String(32), nullable=False, unique=True),
        sa.Column("handle", sa.String(32), nullable=False),
        sa.Column("scenario", sa.String(64), nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("time_to_acknowledge", sa.Float, nullable=True),
        sa.Column("time_to_mitigate", sa.Float, nullable=True),
        sa.Column("time_to_resolve", sa.Float, nullable=True),
        sa.Column("impact_minutes", sa.Float, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("step_count", sa.Integer, nullable=False),
    )
    op.create_index("ix_drill_results_handle", "drill_results", ["handle"])
    op.create_index("ix_drill_results_scenario", "drill_results", ["scenario"])
    op.create_table(
        "drill_steps",
        sa.Column(
            "result_id",
            sa.Integer,
            sa.ForeignKey("drill_results.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("minute", sa.Float, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(24), nullable=False),
    )
    op.bulk_insert(version, [{"version": 1}])


def downgrade() -> None:
    """Drop everything version 1 made."""
    op.drop_table("drill_steps")
    op.drop_table("drill_results")
    op.drop_table("schema_version")
