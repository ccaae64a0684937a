"""Delivery: alerts and the executive digest by email (SMTP) and webhooks (Slack, signed JSON).

Nothing is sent while data change: new and changed alerts are found in the `alerts` table and
digests fall due on a schedule; each becomes a row of the outbox (`outbox`), which a background
worker (`worker`, run by `execdash.scheduler`) sends with retries and back-off, logging every
attempt. See docs/delivery.md.
"""
