"""What several instances share: conversations, revoked login sessions, the session-signing
secret, failed logins and lockouts, rate-limit buckets, and the library's version.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("session_id", sa.String(64), primary_key=True),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False))
    op.create_index("conversations_updated", "conversations", ["updated_at"])
    op.create_table(
        "revoked_sessions",
        sa.Column("nonce", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.Float, nullable=False))
    op.create_index("revoked_sessions_expiry", "revoked_sessions", ["expires_at"])
    op.create_table(
        "app_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False))
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("at", sa.Float, nullable=False))
    op.create_index("login_failures_key", "login_failures", ["key", "at"])
    op.create_table(
        "lockouts",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("until", sa.Float, nullable=False))
    op.create_table(
        "rate_buckets",
        sa.Column("client", sa.String(200), primary_key=True),
        sa.Column("tokens", sa.Float, nullable=False),
        sa.Column("last", sa.Float, nullable=False))
    op.create_index("rate_buckets_last", "rate_buckets", ["last"])
    op.create_table(
        "library_state",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False))


def downgrade() -> None:
    for table in ("library_state", "rate_buckets", "lockouts", "login_failures", "app_secrets",
                  "revoked_sessions", "conversations"):
        op.drop_table(table)
