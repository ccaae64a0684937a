"""execdash's tables for the features built on the data: delivery, plans and alert rules.

They share `tables.app_metadata` (so migrations and tests see one catalogue); `tables` re-exports
them, so `from execdash.db.tables import plans` keeps working.
"""

from __future__ import annotations

import sqlalchemy as sa

from execdash.db.schema import NOW
from execdash.db.tables_core import PREFIX, app_metadata

# --- Delivery (migration 0014): channels, digest recipients, the outbox and its log --------------

CHANNEL_KINDS = ("email", "slack", "webhook")
SEVERITIES = ("low", "medium", "high")
DIGEST_ROLES = ("ceo", "cfo", "coo", "cro", "board")
DIGEST_FREQUENCIES = ("weekly", "monthly")
DELIVERY_STATES = ("pending", "sending", "sent", "failed")

delivery_channels = sa.Table(
    PREFIX + "delivery_channels",
    app_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("secret", sa.Text),
    sa.Column("min_severity", sa.Text, nullable=False, server_default=sa.text("'low'")),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.CheckConstraint("kind IN ('email','slack','webhook')", name="ck_delivery_channels_kind"),
    sa.CheckConstraint(
        "min_severity IN ('low','medium','high')", name="ck_delivery_channels_min_severity"
    ),
    sqlite_autoincrement=True,
)
"""Where alerts go: email addresses (comma-separated), a Slack incoming-webhook URL, or a URL
that gets signed JSON (`secret` is its HMAC-SHA256 key); alerts below `min_severity` skip it."""

digest_recipients = sa.Table(
    PREFIX + "digest_recipients",
    app_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("email", sa.Text, nullable=False, unique=True),
    sa.Column("role", sa.Text, nullable=False, server_default=sa.text("'ceo'")),
    sa.Column("frequency", sa.Text, nullable=False, server_default=sa.text("'weekly'")),
    sa.Column("range", sa.Text, nullable=False, server_default=sa.text("'12m'")),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.CheckConstraint(
        "role IN ('ceo','cfo','coo','cro','board')", name="ck_digest_recipients_role"
    ),
    sa.CheckConstraint("frequency IN ('weekly','monthly')", name="ck_digest_recipients_frequency"),
    sqlite_autoincrement=True,
)
"""Who gets the executive digest, how often, over which window, and in which role's order."""

delivery_outbox = sa.Table(
    PREFIX + "delivery_outbox",
    app_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("dedup_key", sa.Text, nullable=False, unique=True),
    sa.Column(
        "channel_id",
        sa.Integer,
        sa.ForeignKey(PREFIX + "delivery_channels.id", ondelete="CASCADE"),
    ),
    sa.Column(
        "recipient_id",
        sa.Integer,
        sa.ForeignKey(PREFIX + "digest_recipients.id", ondelete="CASCADE"),
    ),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'pending'")),
    sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("next_attempt_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.Column("claimed_until", sa.DateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.Column("sent_at", sa.DateTime),
    sa.CheckConstraint("kind IN ('alert','digest','test')", name="ck_delivery_outbox_kind"),
    sa.CheckConstraint(
        "status IN ('pending','sending','sent','failed')", name="ck_delivery_outbox_status"
    ),
    sa.Index("ix_execdash_delivery_outbox_due", "status", "next_attempt_at"),
    sqlite_autoincrement=True,
)
"""Deliveries to make (the outbox): one row per message, claimed by one worker at a time;
`dedup_key` is unique, so an alert version or a recipient's digest period is queued once."""

delivery_log = sa.Table(
    PREFIX + "delivery_log",
    app_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "outbox_id",
        sa.Integer,
        sa.ForeignKey(PREFIX + "delivery_outbox.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False, server_default=NOW),
    sa.Column("outcome", sa.Text, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("duration_ms", sa.Integer, nullable=False),
    sa.CheckConstraint("outcome IN ('sent','retry','failed')", name="ck_delivery_log_outcome"),
    sqlite_autoincrement=True,
)
"""Every attempt at a delivery: when, its outcome (sent, will retry, gave up) and why."""

delivery_alerts_seen = sa.Table(
    PREFIX + "delivery_alerts_seen",
    app_metadata,
    sa.Column("alert_id", sa.Integer, primary_key=True),
    sa.Column("fingerprint", sa.Text, nullable=False),
    sa.Column("seen_at", sa.DateTime, nullable=False, server_default=NOW),
)
"""The version of each `alerts` row last queued for delivery (SHA-256 of its type, title,
description and severity), so a new or changed alert is found from the table itself."""

# --- Plans (migration 0012): named, versioned monthly targets per KPI (and segment) --------------

PLAN_SEGMENT_KINDS = ("", "industry", "product")
"""What a target is set for: the whole company (`''`), one industry or one product."""

plans = sa.Table(
    PREFIX + "plans",
    app_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("source", sa.Text),
    sa.Column("created_by", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.UniqueConstraint("name", "version", name="uq_plans_name_version"),
    sa.CheckConstraint("version >= 1", name="ck_plans_version"),
    sqlite_autoincrement=True,
)
"""One version of a named plan ("Budget FY2026" v2); at most one row is `active`."""

plan_targets = sa.Table(
    PREFIX + "plan_targets",
    app_metadata,
    sa.Column(
        "plan_id",
        sa.Integer,
        sa.ForeignKey(PREFIX + "plans.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("kpi", sa.Text, primary_key=True),
    sa.Column("month", sa.Text, primary_key=True),
    sa.Column("segment_kind", sa.Text, primary_key=True, server_default=sa.text("''")),
    sa.Column("segment", sa.Text, primary_key=True, server_default=sa.text("''")),
    sa.Column("target", sa.Float, nullable=False),
    sa.Column("updated_by", sa.Text),
    sa.Column("updated_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.CheckConstraint(
        "segment_kind IN ('','industry','product')", name="ck_plan_targets_segment_kind"
    ),
)
"""A plan's target for one KPI in one month (`YYYY-MM`), for the company or one segment; rates
are stored as 0–1 ratios like the data."""

# --- Alert rules (migration 0013): rules on a metric, and the alerts each one raised ------------

RULE_KINDS = ("threshold", "change", "off_plan", "anomaly")
RULE_DIRECTIONS = ("above", "below", "either")
RULE_COMPARES = ("previous", "year_ago")

alert_rules = sa.Table(
    PREFIX + "alert_rules",
    app_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("metric", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("direction", sa.Text, nullable=False),
    sa.Column("value", sa.Float),
    sa.Column("compare", sa.Text),
    sa.Column("min_volume", sa.Float),
    sa.Column("sensitivity", sa.Float),
    sa.Column("hysteresis", sa.Float, nullable=False, server_default=sa.text("0.05")),
    sa.Column("severity", sa.Text, nullable=False, server_default=sa.text("'medium'")),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_by", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.Column("updated_by", sa.Text),
    sa.Column("updated_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.CheckConstraint(
        "kind IN ('threshold','change','off_plan','anomaly')", name="ck_alert_rules_kind"
    ),
    sa.CheckConstraint("direction IN ('above','below','either')", name="ck_alert_rules_direction"),
    sa.CheckConstraint(
        "compare IS NULL OR compare IN ('previous','year_ago')", name="ck_alert_rules_compare"
    ),
    sa.CheckConstraint("severity IN ('low','medium','high')", name="ck_alert_rules_severity"),
    sqlite_autoincrement=True,
)
"""An alert rule on one metric (`alerts.catalog`): what fires, how hard, and how it clears."""

alert_firings = sa.Table(
    PREFIX + "alert_firings",
    app_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "rule_id",
        sa.Integer,
        sa.ForeignKey(PREFIX + "alert_rules.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("alert_id", sa.Integer, nullable=False, unique=True),
    sa.Column("period", sa.Text, nullable=False),
    sa.Column("last_period", sa.Text, nullable=False),
    sa.Column("state", sa.Text, nullable=False, server_default=sa.text("'firing'")),
    sa.Column("value", sa.Float),
    sa.Column("fired_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.Column("updated_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.Column("resolved_at", sa.DateTime),
    sa.UniqueConstraint("rule_id", "period", name="uq_alert_firings_rule_period"),
    sa.CheckConstraint("state IN ('firing','resolved')", name="ck_alert_firings_state"),
    sqlite_autoincrement=True,
)
"""One row per episode of a rule firing: the seed `alerts` row it wrote, from the month it began
(`period`) to the latest month it covered, until it resolved. (rule, period) is unique."""
