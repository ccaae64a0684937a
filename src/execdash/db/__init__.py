"""Database access: engine with pragmas, the seed schema, migrations."""
