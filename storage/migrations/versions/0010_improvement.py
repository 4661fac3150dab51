"""Improvement: performance improvement plans, CIP items, change requests, rating answers, their history.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.models


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('change_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('what', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.Column('tier', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('effect', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('proposed_by_side', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('agreed_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.models.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.models.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreed_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['decided_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('change_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_request_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_request_status'), ['status'], unique=False)

    op.create_table('improvement_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('at', storage.models.UtcDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('improvement_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_improvement_event_subject_id'), ['subject_id'], unique=False)

    op.create_table('rating_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('rating', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('at', storage.models.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ruling', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('ruling_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('ruled_by_id', sa.Integer(), nullable=True),
    sa.Column('ruled_at', storage.models.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ),
    sa.ForeignKeyConstraint(['return_id'], ['monthly_return.id'], ),
    sa.ForeignKeyConstraint(['ruled_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rating_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_response_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_response_return_id'), ['return_id'], unique=False)

    op.create_table('cip_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('what', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('deadline_on', sa.Date(), nullable=False),
    sa.Column('milestones', sa.JSON(), nullable=False),
    sa.Column('feedback', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('progress', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.models.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.models.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cip_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cip_item_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cip_item_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cip_item_status'), ['status'], unique=False)

    op.create_table('pip',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('level', sa.Float(), nullable=False),
    sa.Column('comparison', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('agreed_on', sa.Date(), nullable=False),
    sa.Column('by_on', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('progress', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('actions', sa.JSON(), nullable=False),
    sa.Column('milestones', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.models.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.models.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pip', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pip_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pip_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('pip', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pip_status'))
        batch_op.drop_index(batch_op.f('ix_pip_contract_id'))

    op.drop_table('pip')
    with op.batch_alter_table('cip_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cip_item_status'))
        batch_op.drop_index(batch_op.f('ix_cip_item_owner_id'))
        batch_op.drop_index(batch_op.f('ix_cip_item_contract_id'))

    op.drop_table('cip_item')
    with op.batch_alter_table('rating_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_response_return_id'))
        batch_op.drop_index(batch_op.f('ix_rating_response_contract_id'))

    op.drop_table('rating_response')
    with op.batch_alter_table('improvement_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_improvement_event_subject_id'))

    op.drop_table('improvement_event')
    with op.batch_alter_table('change_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_request_status'))
        batch_op.drop_index(batch_op.f('ix_change_request_contract_id'))

    op.drop_table('change_request')
