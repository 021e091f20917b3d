/**
 * A small line chart drawn as inline SVG (no chart library): one series, its min/max on the y axis,
 * the first/last step on the x axis, the last value in the title. `chartGeometry` is the pure part.
 */
const SVG = 'http://www.w3.org/2000/svg';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Geometry {
  /** The `points` attribute of the polyline, in the plot's pixel space. */
  readonly polyline: string;
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/** Maps points into a `width`×`height` box (y grows downwards); a flat series is centred. */
export function chartGeometry(points: readonly Point[], width: number, height: number): Geometry {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const yMin = Math.min(...ys);
  const yMax = Math.max(...ys);
  const sx = (x: number) => (xMax === xMin ? width / 2 : ((x - xMin) / (xMax - xMin)) * width);
  const sy = (y: number) => (yMax === yMin ? height / 2 : height - ((y - yMin) / (yMax - yMin)) * height);
  return { polyline: points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' '), xMin, xMax, yMin, yMax };
}

const el = (name: string, attrs: Record<string, string | number>, text?: string): SVGElement => {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
};

export function lineChart(opts: { title: string; testId: string; points: readonly Point[]; format: (y: number) => string }): HTMLElement {
  const W = 420;
  const H = 180;
  const pad = { l: 56, r: 12, t: 8, b: 22 };
  const box = document.createElement('figure');
  box.className = 'chart';
  box.dataset.testid = opts.testId;
  box.dataset.points = String(opts.points.length);
  const last = opts.points.at(-1);
  const caption = document.createElement('figcaption');
  caption.textContent = last ? `${opts.title} — ${opts.format(last.y)} at step ${last.x}` : `${opts.title} — no steps yet`;
  box.append(caption);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': caption.textContent });
  const pw = W - pad.l - pad.r;
  const ph = H - pad.t - pad.b;
  svg.append(el('rect', { x: pad.l, y: pad.t, width: pw, height: ph, class: 'plot' }));
  if (opts.points.length > 0) {
    const g = chartGeometry(opts.points, pw, ph);
    const plot = el('g', { transform: `translate(${pad.l},${pad.t})` });
    plot.append(el('polyline', { points: g.polyline, class: 'line' }));
    if (opts.points.length === 1) {
      const [x, y] = g.polyline.split(',');
      plot.append(el('circle', { cx: x!, cy: y!, r: 3, class: 'dot' }));
    }
    svg.append(
      plot,
      el('text', { x: pad.l - 4, y: pad.t + 10, class: 'tick', 'text-anchor': 'end' }, opts.format(g.yMax)),
      el('text', { x: pad.l - 4, y: pad.t + ph, class: 'tick', 'text-anchor': 'end' }, opts.format(g.yMin)),
      el('text', { x: pad.l, y: H - 6, class: 'tick' }, `step ${g.xMin}`),
      el('text', { x: W - pad.r, y: H - 6, class: 'tick', 'text-anchor': 'end' }, `step ${g.xMax}`),
    );
  }
  box.append(svg);
  return box;
}
