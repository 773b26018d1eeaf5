"""contact weeks rollup, kept by triggers on contacts; indexes for the cockpit

Data step: the rollup is filled from the contacts already there.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 09:10:00

"""

import sqlalchemy as sa
from alembic import op

from maatjes.models import rollup

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contact_weeks",
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["match_id"], ["matches.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("match_id", "week"),
    )
    with op.batch_alter_table("contact_weeks", schema=None) as batch_op:
        batch_op.create_index("ix_contact_weeks_week", ["week", "match_id"], unique=False)
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_day")
        batch_op.create_index(
            "ix_contacts_day", ["contact_on", "match_id", "duration_minutes"], unique=False
        )
        scored = sa.text("stress_score IS NOT NULL")
        batch_op.create_index(
            "ix_contacts_scored",
            ["match_id", "contact_on", "id", "stress_score"],
            unique=False,
            sqlite_where=scored,
            postgresql_where=scored,
        )
        evaluation = sa.text("evaluation")
        batch_op.create_index(
            "ix_contacts_evaluation",
            ["match_id"],
            unique=False,
            sqlite_where=evaluation,
            postgresql_where=evaluation,
        )
    with op.batch_alter_table("matches", schema=None) as batch_op:
        ended = sa.text("ended_on IS NOT NULL")
        batch_op.create_index(
            "ix_matches_ended",
            ["ended_on"],
            unique=False,
            sqlite_where=ended,
            postgresql_where=ended,
        )
    dialect = op.get_bind().dialect.name
    op.execute(rollup.BACKFILL[dialect])
    for statement in rollup.statements(dialect):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS contact_weeks_keep ON contacts")
        op.execute("DROP FUNCTION IF EXISTS contact_weeks_keep()")
    else:
        for name in ("contact_weeks_insert", "contact_weeks_delete", "contact_weeks_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_index("ix_matches_ended")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_evaluation")
        batch_op.drop_index("ix_contacts_scored")
        batch_op.drop_index("ix_contacts_day")
        batch_op.create_index("ix_contacts_day", ["contact_on"], unique=False)
    with op.batch_alter_table("contact_weeks", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_weeks_week")
    op.drop_table("contact_weeks")
