"""test print: print_job.ticket_id may be empty, for an admin's test page that belongs to no ticket

Revision ID: 0007
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("print_job", schema=None) as batch_op:  # SQLite copies the table, keeping its rows
        batch_op.alter_column("ticket_id", existing_type=sa.String(length=24), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM print_job WHERE ticket_id IS NULL")
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.alter_column("ticket_id", existing_type=sa.String(length=24), nullable=False)
