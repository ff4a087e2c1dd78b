/**
 * The browser-test harness: serves the production build (`dist/`, which `npm run test:e2e`
 * builds first) with `vite preview` on a free port, launches Chromium, and tears both down.
 * It builds nothing itself, so a stale or missing `dist/` fails loudly instead of silently.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Harness {
  /** Address of the served build, ending in `/`. */
  baseUrl: string;
  context: BrowserContext;
  /** A new page that records console errors and uncaught exceptions into `errors`. */
  newPage(viewport?: { width: number; height: number }): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

async function waitForServer(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`vite preview exited (${server.exitCode}):\n${log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vite preview did not answer at ${url} within 30 s:\n${log()}`);
}

/**
 * Serve `dist/` and start Chromium. `base` serves the site under a sub-path (e.g. `/lab/`), as a
 * static host's project folder would: every asset must then be found relative to the page.
 */
export async function startHarness({ base = '/' }: { base?: string } = {}): Promise<Harness> {
  if (!existsSync(join(ROOT, 'dist/index.html')))
    throw new Error('dist/ is missing: run `npm run build` first (`npm run test:e2e` does)');
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM} (install it: apt-get install -y chromium, or set CHROMIUM_PATH)`,
    );

  const port = await freePort();
  let output = '';
  const server = spawn(
    join(ROOT, 'node_modules/.bin/vite'),
    ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--base', base],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  server.stdout?.on('data', (chunk) => (output += chunk));
  server.stderr?.on('data', (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}${base}`;

  let profile: string | undefined;
  let context: BrowserContext | undefined;
  const close = async (): Promise<void> => {
    await context?.close().catch(() => undefined);
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (profile) await rm(profile, { recursive: true, force: true });
  };

  try {
    await waitForServer(baseUrl, server, () => output);
    profile = await mkdtemp(join(tmpdir(), 'cascade-lab-e2e-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // For trying a V8 or Blink flag in the benches and tests (e.g. CHROMIUM_ARGS=--js-flags=--no-liftoff).
        ...(process.env.CHROMIUM_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
    });
  } catch (error) {
    await close();
    throw error;
  }

  // The window the browser opens with would load Chromium's new-tab page, a WebUI that keeps a
  // core busy for a second or two while the tests measure: blank it.
  for (const first of context.pages()) await first.goto('about:blank').catch(() => undefined);

  const ctx = context;
  return {
    baseUrl,
    context: ctx,
    async newPage(viewport) {
      const page = await ctx.newPage();
      if (viewport) await page.setViewportSize(viewport);
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(String(error)));
      return { page, errors };
    },
    close,
  };
}
