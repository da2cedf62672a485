"""issue request key: a kiosk's retried "take a number" returns the ticket its first try issued

Revision ID: 0008
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_key", sa.String(length=64), nullable=True))
        batch_op.create_index("ux_ticket_request", ["issued_by", "request_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index("ux_ticket_request")
        batch_op.drop_column("request_key")
