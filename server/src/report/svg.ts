/**
 * Small SVG charts for the HTML report. They are embedded as `<img>` data URIs, so the report is one
 * file with pictures that survive copy-paste into notes and slides.
 */

export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

/** Horizontal bars of rates in [0, 1], labelled with `n/total`. */
export function barChart(title: string, rows: { label: string; value: number; note: string }[]): string {
  const rowH = 26;
  const labelW = Math.min(220, 20 + 7 * Math.max(4, ...rows.map((r) => r.label.length)));
  const barW = 360;
  const h = 36 + rows.length * rowH + 10;
  const w = labelW + barW + 110;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="20" ${FONT} font-weight="bold">${esc(title)}</text>`];
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
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="20" ${FONT} font-weight="bold">${esc(title)}</text>`];
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
