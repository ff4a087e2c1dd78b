/**
 * Files out of the page: save a Blob under a name, and turn a chart's live SVG into a standalone
 * SVG file ready to publish (styles inlined, since the page's stylesheet and CSS variables do not
 * travel with it; the title, legend, parameters, source and link around it) or a PNG (the same
 * SVG drawn on a canvas).
 */

/** Save `blob` as a download named `name` (an `a[download]` click; the URL is released after). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The presentation properties a chart's look depends on, copied from the computed style. */
const STYLE_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-variant-numeric',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'stop-color',
  'stop-opacity',
  'visibility',
  'display',
] as const;

/** What a published chart carries around its plot: the title, the legend, and lines saying what run it is and where it comes from. */
export interface FigureCaption {
  title: string;
  /** Legend items with their colours already resolved (a file cannot read the page's CSS variables). */
  legend: { label: string; color: string; mark: 'line' | 'dashed' | 'bar' | 'area' }[];
  /** The lines under the plot: scenario, parameters, source, link. Long ones are wrapped. */
  lines: string[];
}

const TITLE_HEIGHT = 28;
const LEGEND_ROW = 18;
const LINE_HEIGHT = 15;
/** About how wide a character of the 11-pixel caption is, to wrap lines to the figure. */
const CHAR_WIDTH = 6.2;

/** Words of `text` in lines of at most `chars` characters (a word longer than that, such as a link, gets a line of its own and is cut). */
export function wrapText(text: string, chars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > chars) {
      lines.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word;
    while (line.length > chars) {
      lines.push(line.slice(0, chars));
      line = line.slice(chars);
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Legend items laid out in rows across `width`: each item's x, row and text. */
function legendLayout(
  items: FigureCaption['legend'],
  width: number,
): { x: number; row: number; item: FigureCaption['legend'][number] }[] {
  const placed: { x: number; row: number; item: FigureCaption['legend'][number] }[] = [];
  let x = 8;
  let row = 0;
  for (const item of items) {
    const w = 30 + item.label.length * CHAR_WIDTH;
    if (x > 8 && x + w > width - 8) {
      x = 8;
      row += 1;
    }
    placed.push({ x, row, item });
    x += w + 10;
  }
  return placed;
}

/**
 * A standalone SVG document of `svg` as it looks now, ready to publish: every element's computed
 * presentation inlined (in place of its classes and presentation attributes), the page
 * background behind it, the title and the legend above it, and the caption lines (what run,
 * which parameters, the source and the link that replays it) below it.
 */
export function standaloneSvg(svg: SVGSVGElement, caption: FigureCaption): string {
  const width = svg.width.baseVal.value || svg.getBoundingClientRect().width;
  const height = svg.height.baseVal.value || svg.getBoundingClientRect().height;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [clone, ...clone.querySelectorAll('*')];
  originals.forEach((element, i) => {
    const computed = getComputedStyle(element);
    const copy = copies[i] as SVGElement;
    copy.removeAttribute('class');
    // The computed values replace presentation attributes too, which may name CSS variables (stroke="var(--c-price)").
    for (const property of STYLE_PROPERTIES) copy.removeAttribute(property);
    // Through the CSSOM, not setAttribute: the page's content security policy refuses style attributes.
    copy.style.cssText = STYLE_PROPERTIES.map((p) => `${p}:${computed.getPropertyValue(p)}`).join(';');
  });
  const page = getComputedStyle(document.documentElement);
  const muted = getComputedStyle(document.documentElement).getPropertyValue('--muted').trim() || page.color;
  const ns = 'http://www.w3.org/2000/svg';
  const element = (name: string, attributes: Record<string, string | number>, text?: string): SVGElement => {
    const node = document.createElementNS(ns, name);
    // A style through the CSSOM, not setAttribute: the page's content security policy refuses style attributes.
    for (const [key, value] of Object.entries(attributes))
      if (key === 'style') node.style.cssText = String(value);
      else node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const legend = legendLayout(caption.legend, width);
  const legendHeight = legend.length > 0 ? (legend.at(-1)!.row + 1) * LEGEND_ROW + 4 : 0;
  const chars = Math.max(30, Math.floor((width - 16) / CHAR_WIDTH));
  const lines = caption.lines.flatMap((line) => wrapText(line, chars));
  const top = TITLE_HEIGHT + legendHeight;
  const total = top + height + 8 + lines.length * LINE_HEIGHT + 6;
  const outer = element('svg', { xmlns: ns, width, height: total, viewBox: `0 0 ${width} ${total}` });
  // The chart's own background, resolved (the theme's colour, not a variable the file cannot read).
  outer.append(
    element('rect', {
      width: '100%',
      height: '100%',
      fill: getComputedStyle(svg.closest('figure') ?? svg).backgroundColor,
    }),
    element('text', { x: 8, y: 19, style: `font:600 14px ${page.fontFamily};fill:${page.color}` }, caption.title),
  );
  for (const { x, row, item } of legend) {
    const y = TITLE_HEIGHT + row * LEGEND_ROW + 8;
    const swatch =
      item.mark === 'bar' || item.mark === 'area'
        ? element('rect', { x, y: y - 5, width: 16, height: 10, rx: 2, fill: item.color })
        : element('line', {
            x1: x,
            x2: x + 20,
            y1: y,
            y2: y,
            stroke: item.color,
            'stroke-width': 2.5,
            ...(item.mark === 'dashed' ? { 'stroke-dasharray': '4 3' } : {}),
          });
    outer.append(
      swatch,
      element('text', { x: x + 24, y: y + 4, style: `font:400 11px ${page.fontFamily};fill:${muted}` }, item.label),
    );
  }
  clone.setAttribute('y', String(top));
  outer.append(clone);
  lines.forEach((line, k) =>
    outer.append(
      element(
        'text',
        {
          x: 8,
          y: top + height + 8 + (k + 1) * LINE_HEIGHT - 3,
          style: `font:400 11px ${page.fontFamily};fill:${muted}`,
        },
        line,
      ),
    ),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(outer)}`;
}

/** Rasterize a standalone SVG document to PNG at `scale` device pixels per CSS pixel. */
export async function svgToPng(svgText: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(image.naturalWidth * scale);
    canvas.height = Math.ceil(image.naturalHeight * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw on a canvas');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    return await new Promise<Blob>((done, fail) =>
      canvas.toBlob((blob) => (blob ? done(blob) : fail(new Error('the PNG could not be made'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
