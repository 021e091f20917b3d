/**
 * A small line chart drawn as inline SVG (no chart library): one series, its min/max on the y axis,
 * the first/last step on the x axis, the last value in the title. `chartGeometry` is the pure part.
 */
import { html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';

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

/** The chart as a lit template: a figure with its caption and the SVG plot. */
export function lineChart(opts: {
  title: string;
  testId: string;
  points: readonly Point[];
  format: (y: number) => string;
}): TemplateResult {
  const W = 420;
  const H = 180;
  const pad = { l: 56, r: 12, t: 8, b: 22 };
  const last = opts.points.at(-1);
  const caption = last ? `${opts.title} — ${opts.format(last.y)} at step ${last.x}` : `${opts.title} — no steps yet`;
  const pw = W - pad.l - pad.r;
  const ph = H - pad.t - pad.b;
  let plot: SVGTemplateResult | typeof nothing = nothing;
  if (opts.points.length > 0) {
    const g = chartGeometry(opts.points, pw, ph);
    const [x, y] = g.polyline.split(',');
    plot = svg`<g transform=${`translate(${pad.l},${pad.t})`}>
        <polyline points=${g.polyline} class="line"></polyline>
        ${opts.points.length === 1 ? svg`<circle cx=${x!} cy=${y!} r="3" class="dot"></circle>` : nothing}
      </g>
      <text x=${pad.l - 4} y=${pad.t + 10} class="tick" text-anchor="end">${opts.format(g.yMax)}</text>
      <text x=${pad.l - 4} y=${pad.t + ph} class="tick" text-anchor="end">${opts.format(g.yMin)}</text>
      <text x=${pad.l} y=${H - 6} class="tick">step ${g.xMin}</text>
      <text x=${W - pad.r} y=${H - 6} class="tick" text-anchor="end">step ${g.xMax}</text>`;
  }
  return html`<figure class="chart" data-testid=${opts.testId} data-points=${opts.points.length}>
    <figcaption>${caption}</figcaption>
    <svg viewBox=${`0 0 ${W} ${H}`} role="img" aria-label=${caption}>
      <rect x=${pad.l} y=${pad.t} width=${pw} height=${ph} class="plot"></rect>
      ${plot}
    </svg>
  </figure>`;
}
