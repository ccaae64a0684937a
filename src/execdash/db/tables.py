"""execdash's own tables: `tables_core` (accounts, rollups, change detection) and
`feature_tables` (delivery, plans, alert rules), on one `app_metadata`, under one import."""

from __future__ import annotations

from execdash.db.feature_tables import *  # noqa: F403
from execdash.db.tables_core import *  # noqa: F403
