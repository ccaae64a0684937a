// Read the API's response shapes in one place: series lists, per-period rows, KPI sparklines.

/** Series objects ({key, label, unit, points}) of `list` by key. */
export function seriesByKey(list) {
  return new Map((list || []).map((s) => [s.key, s]));
}

/**
 * Revenue trend rows {period, recognized, booked, backlog, partial, months} from a dashboard
 * response, whether it sends a list of series or a list of per-period rows.
 */
export function trendRows(data) {
  const trend = data.revenue_trend || data.revenueTrend || [];
  if (trend.length && Array.isArray(trend[0].points)) {
    const byKey = seriesByKey(trend);
    const base = byKey.get("recognized") || trend[0];
    const value = (key, period) => byKey.get(key)?.points.find((p) => p.period === period)?.value ?? null;
    return base.points.map((p) => ({
      period: p.period, partial: p.partial, months: p.months,
      recognized: value("recognized", p.period), booked: value("booked", p.period), backlog: value("backlog", p.period),
    }));
  }
  return trend;
}

/** The values of a drill-down's series, for a sparkline (null when it has none). */
export function kpiSeriesValues(drill) {
  const points = drill?.series?.points;
  return Array.isArray(points) && points.length ? points.map((p) => p.value) : null;
}
