"""console: staff_event (sign-ins, sign-outs, counters opened) for the audit trail and throttle

Revision ID: 0003
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=True),
        sa.Column("counter_code", sa.String(length=40), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("session", sa.String(length=32), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staff_event", schema=None) as batch_op:
        batch_op.create_index("ix_staff_event_at", ["at"], unique=False)
        batch_op.create_index("ix_staff_event_username", ["username", "at"], unique=False)
        batch_op.create_index("ix_staff_event_address", ["address", "at"], unique=False)
        batch_op.create_index("ix_staff_event_session", ["session"], unique=False)


def downgrade() -> None:
    op.drop_table("staff_event")
