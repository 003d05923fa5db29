"""scoring_versions: the rules behind each version name scores carry

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 16:00:00

Starts empty: the rules in use are recorded the next time the product starts
or re-scores.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_versions",
        sa.Column("version", sa.String(length=100), primary_key=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("first_used_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("scoring_versions")
