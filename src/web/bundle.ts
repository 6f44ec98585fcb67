import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** One bundled asset, with a content hash for its URL and ETag. */
export interface Asset {
  body: string;
  hash: string;
}

export interface WebBundle {
  js: Asset;
  css: Asset;
}

const ENTRY = fileURLToPath(new URL('./app/main.tsx', import.meta.url));

const asset = (body: string): Asset => ({
  body,
  hash: createHash('sha256').update(body).digest('hex').slice(0, 16),
});

/**
 * Bundles the partner UI (Preact + TSX) in memory with esbuild. It takes a fraction of a second, so
 * the server does it on the first request instead of shipping a build step: `npm start` just works.
 */
export async function bundleWebApp(): Promise<WebBundle> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'esm',
    target: ['es2022'],
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = (extension: string): string => {
    const file = result.outputFiles.find((f) => f.path.endsWith(extension));
    if (!file) throw new Error(`The web bundle produced no ${extension} file`);
    return file.text;
  };
  return { js: asset(output('.js')), css: asset(output('.css')) };
}

/** The bundle, made once per process on first use; a failed bundling is retried on the next call. */
export function cachedBundle(make: () => Promise<WebBundle> = bundleWebApp): () => Promise<WebBundle> {
  let pending: Promise<WebBundle> | null = null;
  return () => {
    pending ??= make().catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}
