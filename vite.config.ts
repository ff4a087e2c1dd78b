import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** The host script `static/embed.js` may weigh at most this much gzipped: article pages load it. */
const EMBED_SCRIPT_BUDGET = 3 * 1024;

/**
 * The site's absolute address (`SITE_URL=https://example.org/lab/`), for the link previews and
 * oEmbed, which need absolute URLs. Unset, they are relative to the page: the site still works
 * from any folder of any host, and only a crawler's preview lacks its image.
 */
const site = process.env.SITE_URL?.trim();
const SITE_URL = site ? site.replace(/\/?$/, '/') : '';

/** Widget size offered by oEmbed: the default widget (the headline and the price chart). */
const OEMBED_SIZE = { width: 680, height: 860 };

/** Print the host script's gzipped size with the build, and fail the build when it is over budget. */
function embedScriptBudget(): Plugin {
  return {
    name: 'cascade-lab:embed-script-budget',
    apply: 'build',
    buildStart() {
      const source = readFileSync(new URL('./static/embed.js', import.meta.url));
      const gzipped = gzipSync(source).length;
      const kb = (n: number): string => `${(n / 1024).toFixed(2)} kB`;
      const line = `static/embed.js ${kb(source.length)} │ gzip: ${kb(gzipped)} (budget ${kb(EMBED_SCRIPT_BUDGET)})`;
      if (gzipped > EMBED_SCRIPT_BUDGET) this.error(`${line}: over budget; embed.js must stay small`);
      console.log(line);
    },
  };
}

/** Absolute addresses for the link previews, and the oEmbed answer for the default widget. */
function siteMeta(): Plugin {
  const widget = `${SITE_URL}?embed=1&autoplay=1`;
  const oembed = {
    version: '1.0',
    type: 'rich',
    provider_name: 'Cascade Lab',
    provider_url: SITE_URL || './',
    title: 'Cascade Lab: a crypto crash next to its counterfactual',
    html:
      `<iframe src="${widget}" data-cascade-lab title="Cascade Lab: a simulated market crash" width="${OEMBED_SIZE.width}" height="${OEMBED_SIZE.height}" loading="lazy"></iframe>` +
      `<script src="${SITE_URL}embed.js" async></script>`,
    width: OEMBED_SIZE.width,
    height: OEMBED_SIZE.height,
    thumbnail_url: `${SITE_URL}preview.png`,
    thumbnail_width: 1200,
    thumbnail_height: 630,
  };
  return {
    name: 'cascade-lab:site-meta',
    transformIndexHtml: (html) => html.replaceAll('__SITE_URL__', SITE_URL),
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'oembed.json', source: `${JSON.stringify(oembed, null, 2)}\n` });
    },
  };
}

export default defineConfig({
  // Relative asset paths: the built site works from any folder of any static host.
  base: './',
  plugins: [svelte(), embedScriptBudget(), siteMeta()],
  publicDir: 'static',
  build: {
    outDir: 'dist',
    target: 'es2022',
  },
  worker: {
    format: 'es',
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    strictPort: true,
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/{unit,property,differential}/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
