"""Alembic environment of the store (assistant/store.py runs `upgrade head` when it opens a
database and passes its connection in `config.attributes["connection"]`).

By hand: `alembic -x url=postgresql://… -c <an ini with script_location = assistant/migrations>
upgrade head`, or POLICY_DATABASE_URL in the environment."""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import context


def _run(connection: sa.engine.Connection) -> None:
    context.configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from assistant.ops.store import engine_url

    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("POLICY_DATABASE_URL")
    if not url:
        raise SystemExit("give the database as -x url=… or POLICY_DATABASE_URL")
    engine = sa.create_engine(engine_url(url))
    with engine.begin() as conn:
        _run(conn)
