"""leads.budget_base: the yearly budget in the scoring base currency

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 10:00:00

Both columns start empty; scoring fills them from ``budget_amount`` and
``budget_currency`` the next time a lead is scored (``dmql rescore`` does every
lead), so no stored answer is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("budget_base", sa.Double(), nullable=True))
        batch.add_column(
            sa.Column("budget_base_currency", sa.String(length=3), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("budget_base_currency")
        batch.drop_column("budget_base")
