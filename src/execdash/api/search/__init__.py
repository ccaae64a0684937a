"""Global search over pages, KPIs, customers, alerts and risks, ranked and limited."""
