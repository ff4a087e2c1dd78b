/**
 * Host pages on other origins for the embed tests, served by a small server of their own on
 * loopback (another port is another origin; Chromium lets loopback pages load loopback frames).
 * The host page embeds the widget from the harness's site under the strict content security policy
 * the README tells hosts to write, with one `<cascade-lab>` element (its attributes from the
 * `element` query key), one plain iframe (its query from `plain`) and the host script. Its own
 * script (no inline code) logs every message and element event into `window.log`, and every policy
 * violation into `window.violations`. The "evil" server's pages send forged messages.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame, Page } from 'playwright-core';

/** What the host's script records: where a message came from and what it said. */
export interface Logged {
  from: 'element' | 'plain' | 'other';
  via: 'message' | 'event';
  data: { type?: string; [key: string]: unknown };
}

const HOST_SCRIPT = `
window.log = [];
window.violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));
const plain = document.getElementById('plain');
const element = document.getElementById('element');
addEventListener('message', (e) => {
  const from = e.source === plain.contentWindow ? 'plain' : element.frame && e.source === element.frame.contentWindow ? 'element' : 'other';
  log.push({ from, via: 'message', data: e.data });
});
for (const name of ['ready', 'height', 'progress', 'done', 'params', 'error'])
  element.addEventListener('cascade-lab:' + name, (e) => log.push({ from: 'element', via: 'event', data: e.detail }));
`;

export interface Hosts {
  /** The host page for a `<cascade-lab>` with these attributes and a plain iframe with this query. */
  page(element?: string, plain?: string): string;
  /** The forger's origin, ending in `/`. */
  evil: string;
  close(): Promise<void>;
}

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

/** Start the host and the forger's servers; `site` is the harness's base URL. */
export async function startHosts(site: string): Promise<Hosts> {
  const siteOrigin = new URL(site).origin;
  const evil = await listen((_, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>evil</title><p>not a widget</p>');
  });
  const host = await listen((request, response) => {
    const url = new URL(request.url ?? '/', 'http://host');
    if (url.pathname === '/host.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(HOST_SCRIPT);
      return;
    }
    const element = url.searchParams.get('element') ?? '';
    const plain = url.searchParams.get('plain') ?? 'embed=1&frozen=1&controls=leverage';
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' ${siteOrigin}; frame-src ${siteOrigin} ${evil.origin}">
<title>A host</title>
<script src="${site}embed.js" defer></script>
<script src="/host.js" defer></script>
</head><body>
<h1>An article</h1>
<cascade-lab id="element" src="${site}" ${element}><a id="fallback" href="${site}">Open the simulation</a></cascade-lab>
<iframe id="plain" data-cascade-lab src="${site}?${plain.replaceAll('&', '&amp;')}" title="plain" width="100%" height="300"></iframe>
</body></html>`);
  });
  return {
    page: (element = '', plain?: string) => {
      const query = new URLSearchParams({ element });
      if (plain !== undefined) query.set('plain', plain);
      return `${host.origin}/?${query}`;
    },
    evil: `${evil.origin}/`,
    close: async () => {
      // The browser keeps connections alive: drop them, or close would wait for them to time out.
      await Promise.all(
        [host, evil].map(({ server }) => {
          const closed = new Promise((done) => server.close(done));
          server.closeAllConnections();
          return closed;
        }),
      );
    },
  };
}

export async function logOf(page: Page): Promise<Logged[]> {
  return page.evaluate(() => (window as unknown as { log: Logged[] }).log);
}

/** Wait until the host has logged an entry matching `match`, newer than the first `after` entries. */
export async function waitForLog(
  page: Page,
  match: { from?: Logged['from']; via?: Logged['via']; type: string },
  after = 0,
): Promise<Logged> {
  const handle = await page.waitForFunction(
    ({ match, after }) => {
      const log = (window as unknown as { log?: Logged[] }).log ?? [];
      return (
        log
          .slice(after)
          .find(
            (entry) =>
              entry.data?.type === match.type &&
              (match.from === undefined || entry.from === match.from) &&
              (match.via === undefined || entry.via === match.via),
          ) ?? false
      );
    },
    { match, after },
    { timeout: 30_000 },
  );
  return (await handle.jsonValue()) as Logged;
}

/** The frame of a widget iframe on `page` whose address contains `part`. */
export async function widgetFrame(page: Page, part: string): Promise<Frame> {
  for (let i = 0; i < 300; i++) {
    const frame = page.frames().find((f) => f.url().includes(part));
    if (frame) return frame;
    await page.waitForTimeout(100);
  }
  throw new Error(`no frame at an address containing ${part}`);
}

/** The widget's state as its root element shows it. */
export async function widgetState(frame: Frame): Promise<{ status: string; run: number; cursor: number }> {
  const main = frame.locator('main.widget');
  return {
    status: (await main.getAttribute('data-status')) ?? '',
    run: Number(await main.getAttribute('data-run')),
    cursor: Number(await main.getAttribute('data-cursor')),
  };
}

/** Wait for a widget to show a run in `status` (and, when given, newer than `afterRun`). */
export async function waitForWidget(frame: Frame, status: string, afterRun = 0): Promise<void> {
  await frame.waitForFunction(
    ({ status, afterRun }) => {
      const main = document.querySelector<HTMLElement>('main.widget');
      return main?.dataset.status === status && Number(main.dataset.run) > afterRun;
    },
    { status, afterRun },
    { timeout: 30_000 },
  );
}
