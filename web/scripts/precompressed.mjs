// What the build precompresses and how; shared by compress-dist.mjs (writes the copies) and
// check-dist.mjs (checks them). The server sends X.br or X.gz in X's place by Accept-Encoding
// (server/src/http/static_files.cpp) and never compresses anything itself.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

// Text and other formats that are not compressed already (PNG, WOFF2 and the like are).
const compressible = /\.(html|js|mjs|css|svg|json|webmanifest|txt|xml|ico|wasm)$/;

export const isCompressible = (rel) => compressible.test(rel);

// Each copy: its suffix, how it is made (the strongest settings: this runs once per build) and
// how it is read back.
export const codings = [
  {
    suffix: '.gz',
    compress: (data) => zlib.gzipSync(data, { level: 9 }),
    decompress: (data) => zlib.gunzipSync(data),
  },
  {
    suffix: '.br',
    compress: (data) =>
      zlib.brotliCompressSync(data, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        },
      }),
    decompress: (data) => zlib.brotliDecompressSync(data),
  },
];

export const isCopy = (rel) => codings.some((c) => rel.endsWith(c.suffix));

// Every file under dir, as paths relative to it.
export function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)));
}
