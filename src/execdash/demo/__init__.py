"""The deterministic demo company: a manufacturing-plus-SaaS business filling every seed table."""

from execdash.demo.generator import DEMO_TABLES, MATERIALISED, generate, has_data
from execdash.demo.summary import DemoSummary

__all__ = ["DEMO_TABLES", "MATERIALISED", "DemoSummary", "generate", "has_data"]
