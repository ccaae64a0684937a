"""Alert rules on any KPI or domain metric: checks, anomaly bands, evaluation and backtest."""
