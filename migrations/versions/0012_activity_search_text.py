"""the social map's activities get a folded search text (lower case, no accents), so that a
word typed without accents on a phone finds an activity written with them

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 14:03:31.880393

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
    _fill()


def _fill():
    """The folded text of the activities there are, as the app keeps it from now on (the same
    function, ``maatjes.domain.search.fold``)."""
    from maatjes.domain.search import fold

    connection = op.get_bind()
    activities = sa.table(
        "activities",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("description", sa.Text),
        sa.column("location_name", sa.String),
        sa.column("address", sa.String),
        sa.column("postal_code", sa.String),
        sa.column("city", sa.String),
        sa.column("search_text", sa.Text),
    )
    rows = connection.execute(
        sa.select(
            activities.c.id,
            activities.c.name,
            activities.c.description,
            activities.c.location_name,
            activities.c.address,
            activities.c.postal_code,
            activities.c.city,
        )
    ).all()
    for row in rows:
        text = fold(" ".join(part or "" for part in row[1:]))
        connection.execute(
            activities.update().where(activities.c.id == row.id).values(search_text=text)
        )


def downgrade():
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_column("search_text")
