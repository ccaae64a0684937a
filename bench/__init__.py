"""`make bench`: execdash at company scale, measured side by side with plain SQL and DuckDB."""
