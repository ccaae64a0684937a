// With "Compare with: Same period last year", a dotted line of the same periods a year earlier on
// a chart, so the change a tile states can be seen period by period.

function missing(v) {
  return v === null || v === undefined;
}

/**
 * Add the comparison window's series to a cartesian chart spec as a dashed line, period i of the
 * window against period i a year earlier (`line`: an API series; its own period keys are named in
 * the tooltip through `shown`). `actualIndex` is the series it belongs to.
 */
export function withLastYearLine(spec, line, actualIndex = 0) {
  if (!line || !(line.points || []).some((p) => !missing(p.value))) return spec;
  const actual = spec.series[actualIndex];
  const data = spec.categories.map((_, i) => line.points[i]?.value ?? null);
  const last = {
    name: `${actual.name}, same period last year`,
    key: `last_year_${actual.key}`,
    unit: actual.unit,
    type: "line",
    axis: actual.axis || 0,
    dashed: true,
    data,
    csv: data,
  };
  return {
    ...spec,
    series: [...spec.series, last],
    note: [spec.note, `Dashed "same period last year": ${actual.name.toLowerCase()} in the same periods a year earlier.`].filter(Boolean).join(" "),
  };
}
