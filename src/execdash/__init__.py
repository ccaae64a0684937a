"""execdash: a self-hosted executive dashboard over one SQLite or PostgreSQL database."""

__version__ = "0.1.0"
