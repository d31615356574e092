// Run after `vite build`: writes X.gz (gzip, level 9) and X.br (brotli, quality 11) beside every
// compressible file of dist/, each only when it is smaller than X; a copy that would not be is
// removed, so that none is left from an earlier build.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codings, isCompressible, isCopy, listFiles } from './precompressed.mjs';

// dist/ unless another folder is named (the tests do).
const dist = path.resolve(
  process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist'),
);
const totals = { raw: 0, '.gz': 0, '.br': 0 };
let written = 0;
for (const rel of listFiles(dist)) {
  if (isCopy(rel) || !isCompressible(rel)) continue;
  const file = path.join(dist, rel);
  const data = readFileSync(file);
  totals.raw += data.length;
  for (const coding of codings) {
    const copy = coding.compress(data);
    if (copy.length < data.length) {
      writeFileSync(file + coding.suffix, copy);
      totals[coding.suffix] += copy.length;
      written += 1;
    } else {
      rmSync(file + coding.suffix, { force: true });
      totals[coding.suffix] += data.length;
    }
  }
}
const kB = (n) => `${(n / 1024).toFixed(1)} kB`;
console.log(
  `dist/: ${written} precompressed copies; compressible files ${kB(totals.raw)}, ` +
    `gzip ${kB(totals['.gz'])}, brotli ${kB(totals['.br'])}`,
);
