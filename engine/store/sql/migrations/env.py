"""Alembic environment: runs on the engine rxadj passes in (``config.attributes``)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from engine.store.sql import models, priorauth, recon_models

_ = (models, priorauth, recon_models)
target_metadata = SQLModel.metadata
engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
