/** An SVG drawing as an `<img>` data URI, so the HTML report stays one self-contained file. */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
