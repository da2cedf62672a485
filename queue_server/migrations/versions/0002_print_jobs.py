"""print jobs: print_job (ticket prints and reprints, with their bytes) and printer_status

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "print_job",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("ticket_id", sa.String(length=24), nullable=False),
        sa.Column("number", sa.String(length=12), nullable=False),
        sa.Column("printer", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failure", sa.String(length=16), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.create_index("ix_print_job_ticket", ["ticket_id"], unique=False)
        batch_op.create_index("ix_print_job_printer", ["printer", "state"], unique=False)
    op.create_table(
        "printer_status",
        sa.Column("printer", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("printer"),
    )


def downgrade() -> None:
    op.drop_table("printer_status")
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.drop_index("ix_print_job_printer")
        batch_op.drop_index("ix_print_job_ticket")
    op.drop_table("print_job")
