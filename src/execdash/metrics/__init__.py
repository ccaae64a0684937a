"""The metrics engine: windows, aggregation kinds, executive KPIs and domain overviews."""
