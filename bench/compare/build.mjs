// Builds the JS client of bench/compare into dist/: esbuild's minified browser bundle, npm's
// automerge.wasm beside it, and a brotli copy (quality 11, window 24, as .ci/compress.mjs makes
// ours) of each, so both apps are served the way our server serves its hashed assets.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'dist');
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
await build({
  entryPoints: [path.join(here, 'client/main.js')],
  outfile: path.join(out, 'client.js'),
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  logLevel: 'warning',
});
copyFileSync(path.join(here, 'client/index.html'), path.join(out, 'index.html'));
copyFileSync(path.join(here, 'node_modules/@automerge/automerge/dist/automerge.wasm'), path.join(out, 'automerge.wasm'));
for (const name of readdirSync(out)) {
  const raw = readFileSync(path.join(out, name));
  const br = brotliCompressSync(raw, { params: {
    [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
  } });
  writeFileSync(path.join(out, `${name}.br`), br);
  console.log(`${name}: ${raw.length} B, brotli ${br.length} B`);
}
