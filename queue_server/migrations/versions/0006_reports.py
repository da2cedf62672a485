"""reports: SKM survey responses, quick ratings and the report buckets of closed days

Revision ID: 0006
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None


def _answer_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.String(length=24), sa.ForeignKey("ticket.id"), nullable=False, unique=True),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("service_code", sa.String(length=40), nullable=False),
        sa.Column("counter_code", sa.String(length=40), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    ]


def upgrade() -> None:
    op.create_table(
        "survey_response", *_answer_columns(),
        sa.Column("channel", sa.String(length=10), nullable=False),
        *(sa.Column(f"u{i}", sa.Integer(), nullable=False) for i in range(1, 10)),
        sa.Column("comment", sa.Text(), nullable=False),
    )
    op.create_index("ix_survey_response_day", "survey_response", ["day", "agency_code"])
    op.create_table("quick_rating", *_answer_columns(), sa.Column("score", sa.Integer(), nullable=False))
    op.create_index("ix_quick_rating_day", "quick_rating", ["day", "agency_code"])
    op.create_table(
        "report_bucket",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("service_code", sa.String(length=40), nullable=False),
        sa.Column("counter_code", sa.String(length=40), nullable=True),
        sa.Column("officer", sa.String(length=100), nullable=True),
        sa.Column("hour", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False)
          for name in ("issued", "served", "no_show", "cancelled", "transferred", "within_target")),
        sa.Column("first_call", sa.Float(), nullable=True),
        sa.Column("last_close", sa.Float(), nullable=True),
        sa.Column("busy_s", sa.Float(), nullable=True),
        sa.Column("waits", sa.Text(), nullable=True),
        sa.Column("serves", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_bucket_day", "report_bucket", ["day"])
    op.create_table(
        "report_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )


def downgrade() -> None:
    op.drop_table("report_day")
    op.drop_table("report_bucket")
    op.drop_table("quick_rating")
    op.drop_table("survey_response")
