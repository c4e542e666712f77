"""The answer log and ratings (what feedback.py kept in SQLite before Alembic).

A database written before migrations existed already has these tables: they are kept, and
`answers.token_hash` is added when it is missing (a log written before answer tokens).

Revision ID: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    tables = set(inspector.get_table_names())
    if "answers" not in tables:
        op.create_table(
            "answers",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("created_at", sa.Text, nullable=False),
            sa.Column("session", sa.Text, nullable=False, server_default=""),
            sa.Column("channel", sa.Text, nullable=False, server_default=""),
            sa.Column("question", sa.Text, nullable=False),
            sa.Column("answer", sa.Text, nullable=False),
            sa.Column("found", sa.Integer, nullable=False),
            sa.Column("citations", sa.Text, nullable=False),
            sa.Column("calculation", sa.Text),
            sa.Column("token_hash", sa.Text),
            sqlite_autoincrement=True)
        op.create_index("answers_found", "answers", ["found"])
    elif "token_hash" not in {c["name"] for c in inspector.get_columns("answers")}:
        op.add_column("answers", sa.Column("token_hash", sa.Text))
    if "feedback" not in tables:
        op.create_table(
            "feedback",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("answer_id", sa.Integer, sa.ForeignKey("answers.id"), nullable=False),
            sa.Column("created_at", sa.Text, nullable=False),
            sa.Column("rating", sa.Integer, nullable=False),
            sa.Column("comment", sa.Text, nullable=False, server_default=""),
            sa.CheckConstraint("rating IN (-1, 1)", name="feedback_rating"),
            sqlite_autoincrement=True)
        op.create_index("feedback_time", "feedback", ["created_at"])
        op.create_index("feedback_answer", "feedback", ["answer_id"])


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("answers")
