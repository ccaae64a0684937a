"""Say which side table is in the way when one of the seed backend's tables (`users`,
`user_settings`, `meetings`, `messages`, `user_event_meta`) exists in another shape.

execdash keeps the inbox, calendar, profiles and event meta in the tables that system uses,
under the same names. A company database may hold a table of one of those names that is not
that system's; the routes using it then answer 409 with this sentence instead of a 500, and
everything else keeps working.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import Engine

from execdash.db.compat_tables import COMPAT_TABLES, shape_gaps


def conflict(engine: Engine, statement: str | None) -> str | None:
    """A sentence naming the first side table named in `statement` (any, when None) that
    execdash cannot use and why; None when all of them are usable."""
    named = [
        name for name in COMPAT_TABLES if statement is None or re.search(rf"\b{name}\b", statement)
    ]
    with engine.connect() as conn:
        for name in named:
            missing, required = shape_gaps(conn, name)
            if missing:
                why = f"it has no column {', '.join(repr(m) for m in missing)}"
            elif required:
                why = f"its column {', '.join(repr(r) for r in required)} must be filled"
            else:
                continue
            return (
                f"The {name} table of this database is not the one the seed project's backend "
                f"keeps ({why}), so execdash cannot keep its data there. Rename that table "
                f"and run `execdash db upgrade`, which creates execdash's; see docs/adopting.md."
            )
    return None
