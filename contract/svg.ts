/**
 * Small SVG charts for the HTML report and the job panel's webview. Plain strings, no Node: the report
 * embeds them as `<img>` data URIs (`server/src/report/dataUri.ts`), so it is one file with pictures
 * that survive copy-paste into notes and slides.
 */

export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

/** Horizontal bars of rates in [0, 1], labelled with `n/total`. */
export function barChart(title: string, rows: { label: string; value: number; note: string }[]): string {
  const rowH = 26;
  const labelW = Math.min(220, 20 + 7 * Math.max(4, ...rows.map((r) => r.label.length)));
  const barW = 360;
  const h = 36 + rows.length * rowH + 10;
  const w = labelW + barW + 110;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="20" ${FONT} font-weight="bold">${esc(title)}</text>`,
  ];
  rows.forEach((r, i) => {
    const y = 34 + i * rowH;
    const len = Math.max(1, Math.round(barW * Math.min(1, Math.max(0, r.value))));
    parts.push(
      `<text x="${labelW - 8}" y="${y + 15}" ${FONT} text-anchor="end">${esc(r.label)}</text>`,
      `<rect x="${labelW}" y="${y + 3}" width="${barW}" height="16" fill="#eef1f5"/>`,
      `<rect x="${labelW}" y="${y + 3}" width="${len}" height="16" fill="#c2410c"/>`,
      `<text x="${labelW + barW + 8}" y="${y + 15}" ${FONT}>${esc(`${(100 * r.value).toFixed(0)}% (${r.note})`)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** A histogram of probabilities in [0, 1], stacked by a two-way split (e.g. flagged vs not). */
export function histogram(title: string, a: readonly number[], b: readonly number[], labels: [string, string], bins = 20): string {
  const count = (xs: readonly number[]) => {
    const c = new Array<number>(bins).fill(0);
    for (const x of xs) c[Math.min(bins - 1, Math.max(0, Math.floor(x * bins)))]!++;
    return c;
  };
  const ca = count(a);
  const cb = count(b);
  const max = Math.max(1, ...ca.map((x, i) => x + cb[i]!));
  const w = 520;
  const h = 220;
  const left = 40;
  const bottom = 180;
  const plotH = 140;
  const bw = (w - left - 20) / bins;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="20" ${FONT} font-weight="bold">${esc(title)}</text>`,
  ];
  for (let i = 0; i < bins; i++) {
    const ha = (ca[i]! / max) * plotH;
    const hb = (cb[i]! / max) * plotH;
    const x = left + i * bw;
    if (hb > 0) parts.push(`<rect x="${x + 1}" y="${bottom - hb}" width="${bw - 2}" height="${hb}" fill="#64748b"/>`);
    if (ha > 0) parts.push(`<rect x="${x + 1}" y="${bottom - hb - ha}" width="${bw - 2}" height="${ha}" fill="#c2410c"/>`);
  }
  parts.push(
    `<line x1="${left}" y1="${bottom}" x2="${w - 20}" y2="${bottom}" stroke="#333"/>`,
    `<text x="${left}" y="${bottom + 16}" ${FONT}>0</text>`,
    `<text x="${(left + w - 20) / 2}" y="${bottom + 16}" ${FONT} text-anchor="middle">0.5</text>`,
    `<text x="${w - 20}" y="${bottom + 16}" ${FONT} text-anchor="end">1</text>`,
    `<text x="${left - 6}" y="${bottom - plotH + 4}" ${FONT} text-anchor="end">${max}</text>`,
    `<rect x="${w - 200}" y="30" width="12" height="12" fill="#c2410c"/><text x="${w - 184}" y="40" ${FONT}>${esc(labels[0])} (${a.length})</text>`,
    `<rect x="${w - 200}" y="48" width="12" height="12" fill="#64748b"/><text x="${w - 184}" y="58" ${FONT}>${esc(labels[1])} (${b.length})</text>`,
    '</svg>',
  );
  return parts.join('');
}

/** One bar of `intervalBars`: a rate in [0, 1] and its interval. */
export interface IntervalBar {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Vertical bars of rates in [0, 1], grouped (e.g. by prompt variant) with one bar per series (e.g.
 * before / after), each with a whisker over its interval and its percentage above. A series missing
 * from a group is left as a gap. Pure string building: the job panel's webview draws it too.
 */
export function intervalBars(
  title: string,
  series: readonly { readonly name: string; readonly color: string }[],
  groups: readonly { readonly label: string; readonly bars: readonly (IntervalBar | undefined)[] }[],
): string {
  const barW = 30;
  const gap = 26;
  const left = 46;
  const top = 62;
  const plotH = 170;
  // Wide enough for its label, so that `neutral (n=100)` under a single bar does not run into the next.
  const groupW = Math.max(series.length * barW + gap, 12 + 6.5 * Math.max(0, ...groups.map((g) => g.label.length)));
  const legendW = 24 + series.reduce((s, x) => s + 30 + 7 * x.name.length, 0);
  const w = Math.max(left + groups.length * groupW + 20, legendW + 20, 12 + 7.5 * title.length, 300);
  const h = top + plotH + 40;
  const y = (v: number) => top + plotH * (1 - Math.min(1, Math.max(0, v)));
  const pct = (v: number) => `${(100 * v).toFixed(0)}%`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="20" ${FONT} font-weight="bold">${esc(title)}</text>`,
  ];
  let lx = 10;
  for (const s of series) {
    parts.push(
      `<rect x="${lx}" y="30" width="12" height="12" fill="${esc(s.color)}"/><text x="${lx + 16}" y="40" ${FONT}>${esc(s.name)}</text>`,
    );
    lx += 30 + 7 * s.name.length;
  }
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${left}" y1="${y(t)}" x2="${w - 10}" y2="${y(t)}" stroke="${t === 0 ? '#333' : '#e2e8f0'}"/>`,
      `<text x="${left - 6}" y="${y(t) + 4}" ${FONT} text-anchor="end">${pct(t)}</text>`,
    );
  }
  groups.forEach((g, gi) => {
    const x0 = left + gi * groupW + (groupW - series.length * barW) / 2;
    g.bars.forEach((b, si) => {
      if (!b) return;
      const x = x0 + si * barW;
      const yv = y(b.value);
      const cx = x + barW / 2;
      parts.push(
        `<rect x="${x + 2}" y="${yv}" width="${barW - 4}" height="${Math.max(0, y(0) - yv)}" fill="${esc(series[si]?.color ?? '#64748b')}"><title>${esc(`${series[si]?.name ?? ''} ${g.label}: ${pct(b.value)} [${pct(b.low)}–${pct(b.high)}]`)}</title></rect>`,
        `<line x1="${cx}" y1="${y(b.high)}" x2="${cx}" y2="${y(b.low)}" stroke="#111" stroke-width="1.5"/>`,
        `<line x1="${cx - 6}" y1="${y(b.high)}" x2="${cx + 6}" y2="${y(b.high)}" stroke="#111" stroke-width="1.5"/>`,
        `<line x1="${cx - 6}" y1="${y(b.low)}" x2="${cx + 6}" y2="${y(b.low)}" stroke="#111" stroke-width="1.5"/>`,
        `<text x="${cx}" y="${y(b.high) - 5}" font-family="system-ui, sans-serif" font-size="10" text-anchor="middle">${pct(b.value)}</text>`,
      );
    });
    parts.push(`<text x="${x0 + (series.length * barW) / 2}" y="${y(0) + 18}" ${FONT} text-anchor="middle">${esc(g.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
