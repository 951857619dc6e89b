// Trunk post_build step (scripts/post-build.sh): leaves `name.br` and `name.gz` beside each
// hashed file of the build (the wasm, JS and CSS), compressed at their best once, so the server
// sends those (brotli 11 takes seconds on the wasm: too slow per request, where it compresses
// faster and worse: 766 KB instead of 592). Only hashed files: their content never changes
// under their name, so a copy can never be stale; index.html, sw.js and the rest are small and
// compressed per request. A compressed copy no smaller than its file is not kept.
import { readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const stage = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!stage) {
  console.error('precompress: run as a Trunk hook (TRUNK_STAGING_DIR) or give the folder');
  process.exit(1);
}
// Trunk's names: `name-<hash>.js`, `name-<hash>_bg.wasm`, `name-<hash>.css`, and the
// initializer's `<hash>-name.js`.
const compressible = /-[0-9a-f]{1,16}(_bg)?\.(wasm|js|css)$|^[0-9a-f]{1,16}-[^/]*\.js$/;
for (const name of readdirSync(stage)) {
  if (!compressible.test(name)) continue;
  const file = join(stage, name);
  const raw = readFileSync(file);
  const copies = {
    br: brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
    gz: gzipSync(raw, { level: 9 }),
  };
  for (const [extension, bytes] of Object.entries(copies)) {
    const copy = `${file}.${extension}`;
    if (bytes.length < raw.length) {
      writeFileSync(copy, bytes);
    } else {
      rmSync(copy, { force: true });
    }
  }
}
