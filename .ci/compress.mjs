//! Run by .ci/build after Trunk: writes a brotli (.br) copy of each hashed asset of the release
//! build (wasm, JS, CSS), which the server sends as it is to a browser that accepts it
//! (crates/server/src/static_files.rs). Compressed once here at the strongest settings
//! instead of on every request: the first download on a 750 kbit/s village link is a quarter
//! smaller than with on-the-fly gzip, and the school's server spends no CPU per phone on it.
//! Node's own zlib has brotli, so nothing more is installed for it.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const dir = process.argv[2];
if (!dir) throw new Error('usage: node .ci/compress.mjs <dist directory>');

// Only files whose name carries Trunk's content hash, as the server's `is_hashed` reads it: they
// never change under one name, so their copy can never go stale. The entry points (index.html,
// sw.js, the manifest) keep their names across versions and are small; the server gzips them as
// they are sent.
const compressible = /-[0-9a-f]{12,16}(_bg)?\.(wasm|js|css)$/;
function* files(at) {
  for (const entry of readdirSync(at, { withFileTypes: true })) {
    const path = join(at, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (compressible.test(entry.name)) yield path;
  }
}

// Trunk's post-build hook (.ci/precache.sh) fills the service worker's precache list; a worker
// still holding its placeholders would never install, and its compressed copy must not hide that.
const worker = readFileSync(join(dir, 'sw.js'), 'utf8');
if (worker.includes('__SHOUWANG_')) throw new Error(`${dir}/sw.js still has its placeholders`);

let before = 0;
let after = 0;
await Promise.all(
  [...files(dir)].map(async (path) => {
    const bytes = readFileSync(path);
    const br = await brotli(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    });
    writeFileSync(`${path}.br`, br);
    before += bytes.length;
    after += br.length;
  }),
);
console.log(`compress: ${before} B -> ${after} B brotli`);
