"""the transactional outbox

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-01 20:00:00.000000

`outbox_messages`: one row per notification owed because a meeting changed, written in the same
transaction as the change and delivered by `bookme worker` (app/notifications/). A partial index
on `available_at` over the undelivered, living rows keeps the worker's claim query small;
`dedupe_key` (unique) keeps a periodic job's message (a reminder) from being owed twice.
`stream`/`position` keep a webhook endpoint's messages in order per meeting.
`worker_jobs`: the worker's periodic jobs, each run by one worker per tick.
`webhook_endpoints` (URL, events, encrypted signing secret) and `webhook_attempts` (the delivery
log per endpoint).
"""
import sqlalchemy as sa
from alembic import op

import app.db_types

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None

_PENDING = sa.text('delivered_at IS NULL AND dead_at IS NULL')


def upgrade():
    op.create_table(
        'outbox_messages',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('event', sa.String(length=40), nullable=False),
        sa.Column('meeting_id', sa.String(length=36), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('available_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.String(length=200), nullable=True),
        sa.Column('locked_by', sa.String(length=64), nullable=True),
        sa.Column('locked_until', app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('delivered_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('dead_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('dedupe_key', sa.String(length=120), nullable=True),
        sa.Column('stream', sa.String(length=80), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['meeting_id'],
            ['meetings.id'],
            name=op.f('fk_outbox_messages_meeting_id_meetings'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
        sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_messages_dedupe_key')),
    )
    op.create_index(
        op.f('ix_outbox_messages_meeting_id'), 'outbox_messages', ['meeting_id'], unique=False
    )
    op.create_index(
        'ix_outbox_messages_pending',
        'outbox_messages',
        ['available_at'],
        unique=False,
        postgresql_where=_PENDING,
        sqlite_where=_PENDING,
    )

    op.create_table(
        'worker_jobs',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('next_run_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_run_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_worker', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_worker_jobs')),
    )

    op.create_table(
        'webhook_endpoints',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('secret', sa.String(length=500), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_endpoints')),
    )
    op.create_table(
        'webhook_attempts',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('endpoint_id', sa.String(length=36), nullable=False),
        sa.Column('message_id', sa.String(length=36), nullable=False),
        sa.Column('attempted_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('error', sa.String(length=200), nullable=True),
        sa.Column('duration_ms', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['endpoint_id'],
            ['webhook_endpoints.id'],
            name=op.f('fk_webhook_attempts_endpoint_id_webhook_endpoints'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['message_id'],
            ['outbox_messages.id'],
            name=op.f('fk_webhook_attempts_message_id_outbox_messages'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_attempts')),
    )
    op.create_index(
        op.f('ix_webhook_attempts_endpoint_id'), 'webhook_attempts', ['endpoint_id'], unique=False
    )


def downgrade():
    op.drop_index(op.f('ix_webhook_attempts_endpoint_id'), table_name='webhook_attempts')
    op.drop_table('webhook_attempts')
    op.drop_table('webhook_endpoints')
    op.drop_table('worker_jobs')
    op.drop_index('ix_outbox_messages_pending', table_name='outbox_messages')
    op.drop_index(op.f('ix_outbox_messages_meeting_id'), table_name='outbox_messages')
    op.drop_table('outbox_messages')
