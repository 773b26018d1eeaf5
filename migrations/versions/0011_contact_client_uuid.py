"""contacts carry the UUID the phone made for a queued contact, stored at most once (issue 14)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 13:09:17.455050

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN and a unique index: SQLite needs no rebuild of ``contacts`` (a rebuild
    # would drop the triggers of the contact_weeks rollup).
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_uuid", sa.String(length=36), nullable=True))
    op.create_index("uq_contacts_client_uuid", "contacts", ["client_uuid"], unique=True)


def downgrade():
    op.drop_index("uq_contacts_client_uuid", table_name="contacts")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("client_uuid")
