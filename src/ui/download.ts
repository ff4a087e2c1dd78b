/**
 * Files out of the page: save a Blob under a name, and turn a chart's live SVG into a standalone
 * SVG file (styles inlined, since the page's stylesheet and CSS variables do not travel with
 * it) or a PNG (the same SVG drawn on a canvas).
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

const TITLE_HEIGHT = 28;

/**
 * A standalone SVG document of `svg` as it looks now: every element's computed presentation
 * inlined (in place of its classes and presentation attributes), the page background behind it
 * and `title` above it.
 */
export function standaloneSvg(svg: SVGSVGElement, title: string): string {
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
  const ns = 'http://www.w3.org/2000/svg';
  const outer = document.createElementNS(ns, 'svg');
  outer.setAttribute('xmlns', ns);
  outer.setAttribute('width', String(width));
  outer.setAttribute('height', String(height + TITLE_HEIGHT));
  outer.setAttribute('viewBox', `0 0 ${width} ${height + TITLE_HEIGHT}`);
  const background = document.createElementNS(ns, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  // The chart's own background, resolved (the theme's colour, not a variable the file cannot read).
  background.setAttribute('fill', getComputedStyle(svg.closest('figure') ?? svg).backgroundColor);
  const heading = document.createElementNS(ns, 'text');
  heading.setAttribute('x', '8');
  heading.setAttribute('y', '19');
  heading.style.cssText = `font:600 14px ${page.fontFamily};fill:${page.color}`;
  heading.textContent = title;
  clone.setAttribute('y', String(TITLE_HEIGHT));
  outer.append(background, heading, clone);
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
