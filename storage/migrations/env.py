"""Alembic environment: runs on the connection Database.migrate hands over, or on DATABASE_URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import storage.evaluation_models
import storage.improvement_models
import storage.leave_models
import storage.meeting_models
import storage.models
import storage.quarter_models
import storage.reminder_models  # noqa: F401  (each storage.*models import registers its tables on SQLModel.metadata)

target_metadata = SQLModel.metadata


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # type: ignore[attr-defined]
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(os.environ.get("ALEMBIC_URL", "sqlite:///steward.db"))
    with engine.begin() as sync_connection:
        _run(sync_connection)
