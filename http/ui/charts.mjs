// weft ui: charts drawn as inline SVG text from numbers alone (no DOM, no
// script from elsewhere), so that node's test runner checks them
// (tests/ui/charts.test.mjs). Colours come from the page's CSS classes.

const escapeXml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

// The top of an axis: the smallest 1, 2 or 5 times a power of ten at or
// above v (1 when there is nothing to show).
export function niceMax(v) {
  if (!(v > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * power).find((top) => top >= v * (1 - 1e-12));
}

// The bucket length for a time range: the shortest that gives at most 60 bars.
const BUCKETS = [["1m", 6e4], ["5m", 3e5], ["15m", 9e5], ["1h", 36e5], ["6h", 216e5], ["1d", 864e5], ["1w", 6048e5]];
export function bucketFor(rangeMs) {
  const fit = BUCKETS.find(([, ms]) => rangeMs / ms <= 60);
  return (fit || BUCKETS[BUCKETS.length - 1])[0];
}
export const bucketMs = (name) => BUCKETS.find(([n]) => n === name)[1];

// calls_summary's time groups ({start, count, errors}) with the empty
// buckets between them filled in, oldest first.
export function fillBuckets(groups, everyMs) {
  const byStart = new Map(groups.map((g) => [Date.parse(g.start), g]));
  const starts = [...byStart.keys()].sort((a, b) => a - b);
  const out = [];
  for (let t = starts[0]; starts.length && t <= starts[starts.length - 1]; t += everyMs)
    out.push(byStart.get(t) || { start: new Date(t).toISOString(), count: 0, errors: 0 });
  return out;
}

// Calls per time bucket as columns (at most 40 pixels wide), the errors
// among them drawn over them in red; each column's title says its numbers.
// label(start) names a bucket.
export function timeColumns(points, { width = 720, height = 180, label = String } = {}) {
  const left = 48, bottom = 20, plot = height - bottom;
  const top = niceMax(Math.max(0, ...points.map((p) => p.count)));
  const w = Math.min(40, (width - left) / Math.max(1, points.length));
  const y = (v) => (plot * v) / top;
  const bars = points.map((p, i) => {
    const x = (left + i * w).toFixed(1), bw = Math.max(1, w - 1).toFixed(1);
    return `<g><title>${escapeXml(`${label(p.start)}: ${p.count} calls, ${p.errors} errors`)}</title>` +
      `<rect class="bar" x="${x}" y="${(plot - y(p.count)).toFixed(1)}" width="${bw}" height="${y(p.count).toFixed(1)}"/>` +
      (p.errors ? `<rect class="bar error" x="${x}" y="${(plot - y(p.errors)).toFixed(1)}" width="${bw}" height="${y(p.errors).toFixed(1)}"/>` : "") +
      "</g>";
  });
  const text = (x, yy, anchor, s) => `<text x="${x}" y="${yy}" text-anchor="${anchor}">${escapeXml(s)}</text>`;
  const axis = [text(left - 6, 12, "end", top), text(left - 6, plot, "end", 0),
    points.length ? text(left, height - 4, "start", label(points[0].start)) : "",
    points.length > 1 ? text(width, height - 4, "end", label(points[points.length - 1].start)) : ""];
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">` +
    `<line class="axis" x1="${left}" y1="${plot}" x2="${width}" y2="${plot}"/>${bars.join("")}${axis.join("")}</svg>`;
}

// Horizontal bars, a row per label and a bar per series, all on one scale:
// rows [{label, values: [n, ...], note}], series [{name, cls}]; format(n)
// writes a value.
export function rowBars(rows, series, { width = 720, format = String } = {}) {
  const labelW = 200, rowH = 8 * series.length + 10, noteW = 140;
  const top = niceMax(Math.max(0, ...rows.flatMap((r) => r.values.filter((v) => typeof v === "number"))));
  const plotW = width - labelW - noteW;
  const height = rows.length * rowH + 4;
  const out = rows.map((r, i) => {
    const y0 = i * rowH + 4;
    const bars = series.map((s, k) => {
      const v = r.values[k];
      if (typeof v !== "number") return "";
      return `<rect class="bar ${s.cls || ""}" x="${labelW}" y="${y0 + k * 8}" width="${Math.max(1, (plotW * v) / top).toFixed(1)}" height="7">` +
        `<title>${escapeXml(`${r.label} ${s.name}: ${format(v)}`)}</title></rect>`;
    }).join("");
    const note = r.note ?? series.map((s, k) => (typeof r.values[k] === "number" ? format(r.values[k]) : "–")).join(" / ");
    return `<text x="${labelW - 6}" y="${y0 + rowH / 2}" text-anchor="end" dominant-baseline="middle">${escapeXml(r.label)}</text>${bars}` +
      `<text x="${width}" y="${y0 + rowH / 2}" text-anchor="end" dominant-baseline="middle">${escapeXml(note)}</text>`;
  });
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${out.join("")}</svg>`;
}
