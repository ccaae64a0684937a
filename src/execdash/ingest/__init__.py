"""Bring a company's data in (validated, normalised, all-or-nothing), export it and back it up."""

from __future__ import annotations

from execdash.ingest.report import ImportReport, Problem
from execdash.ingest.runner import MODES, parse_mapping, run_import

__all__ = ["MODES", "ImportReport", "Problem", "parse_mapping", "run_import"]
