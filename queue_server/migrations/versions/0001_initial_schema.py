"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 20:38:09.758097
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agency',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=60), nullable=False),
    sa.Column('floor', sa.String(length=40), nullable=False),
    sa.Column('zone', sa.String(length=40), nullable=False),
    sa.Column('color', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('daily_serial',
    sa.Column('service_code', sa.String(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('service_code', 'day')
    )
    op.create_table('device',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('agencies', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_table('hall',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('counter',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('agency_code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['agency_code'], ['agency.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('service',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('agency_code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('prefix', sa.String(length=3), nullable=False),
    sa.Column('daily_quota', sa.Integer(), nullable=True),
    sa.Column('hours', sa.JSON(), nullable=False),
    sa.Column('closed_dates', sa.JSON(), nullable=False),
    sa.Column('requirements', sa.Text(), nullable=False),
    sa.Column('completion_time', sa.String(length=200), nullable=False),
    sa.Column('target_service_s', sa.Integer(), nullable=False),
    sa.Column('synonyms', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['agency_code'], ['agency.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('agency_code', sa.String(length=40), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('token_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_code'], ['agency.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('counter_event',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('counter_code', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['counter_code'], ['counter.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('counter_event', schema=None) as batch_op:
        batch_op.create_index('ix_counter_event_at', ['at'], unique=False)

    op.create_table('counter_service',
    sa.Column('counter_code', sa.String(length=40), nullable=False),
    sa.Column('service_code', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['counter_code'], ['counter.code'], ),
    sa.ForeignKeyConstraint(['service_code'], ['service.code'], ),
    sa.PrimaryKeyConstraint('counter_code', 'service_code')
    )
    op.create_table('counter_state',
    sa.Column('counter_code', sa.String(length=40), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('pause_reason', sa.String(length=200), nullable=False),
    sa.Column('current_ticket_id', sa.String(length=24), nullable=True),
    sa.Column('priority_streak', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['counter_code'], ['counter.code'], ),
    sa.PrimaryKeyConstraint('counter_code')
    )
    op.create_table('ticket',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('service_code', sa.String(length=40), nullable=False),
    sa.Column('origin_service_code', sa.String(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('priority', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('arrival_at', sa.DateTime(), nullable=False),
    sa.Column('counter_code', sa.String(length=40), nullable=True),
    sa.Column('recalls', sa.Integer(), nullable=False),
    sa.Column('called_at', sa.DateTime(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('issued_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['origin_service_code'], ['service.code'], ),
    sa.ForeignKeyConstraint(['service_code'], ['service.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('origin_service_code', 'day', 'serial', name='uq_ticket_serial')
    )
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_day', ['day'], unique=False)
        batch_op.create_index('ix_ticket_queue', ['status', 'day', 'service_code', 'arrival_at'], unique=False)

    op.create_table('ticket_event',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('ticket_id', sa.String(length=24), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('from_status', sa.String(length=12), nullable=True),
    sa.Column('to_status', sa.String(length=12), nullable=False),
    sa.Column('service_code', sa.String(length=40), nullable=False),
    sa.Column('counter_code', sa.String(length=40), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_event_at', ['at'], unique=False)
        batch_op.create_index('ix_ticket_event_ticket', ['ticket_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_event_ticket')
        batch_op.drop_index('ix_ticket_event_at')

    op.drop_table('ticket_event')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_queue')
        batch_op.drop_index('ix_ticket_day')

    op.drop_table('ticket')
    op.drop_table('counter_state')
    op.drop_table('counter_service')
    with op.batch_alter_table('counter_event', schema=None) as batch_op:
        batch_op.drop_index('ix_counter_event_at')

    op.drop_table('counter_event')
    op.drop_table('user_account')
    op.drop_table('service')
    op.drop_table('counter')
    op.drop_table('hall')
    op.drop_table('device')
    op.drop_table('daily_serial')
    op.drop_table('agency')
