"""Moving a test database's schema down to a revision, to check that a migration undoes what it did."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from sqlalchemy import Connection

from storage.engine import alembic_config


def downgrade_to(revision: str) -> Callable[[Connection], None]:
    """A step for `connection.run_sync`: downgrade, on that connection, to `revision`."""

    def downgrade(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    return downgrade
