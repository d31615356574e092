// Run after `vite build` and compress-dist.mjs: the shipped app must not carry source maps or
// point at any, and every precompressed copy must be there and current.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codings, isCompressible, isCopy, listFiles } from './precompressed.mjs';

// dist/ unless another folder is named (the tests do).
const dist = path.resolve(
  process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist'),
);
const problems = [];
for (const rel of listFiles(dist)) {
  const file = path.join(dist, rel);
  if (rel.endsWith('.map')) {
    problems.push(`${rel} is a source map`);
    continue;
  }
  if (isCopy(rel)) {
    const original = rel.slice(0, rel.lastIndexOf('.'));
    if (!existsSync(path.join(dist, original)))
      problems.push(`${rel} is a copy of nothing (${original} is missing)`);
    continue;
  }
  if (!isCompressible(rel)) continue;
  const data = readFileSync(file);
  if (/\.(js|mjs|css|html)$/.test(rel) && data.includes('sourceMappingURL'))
    problems.push(`${rel} names a source map (sourceMappingURL)`);
  for (const coding of codings) {
    const copy = rel + coding.suffix;
    if (!existsSync(file + coding.suffix)) {
      // Missing is right only when the copy would not be smaller.
      if (coding.compress(data).length < data.length) problems.push(`${copy} is missing`);
      continue;
    }
    let decoded;
    try {
      decoded = coding.decompress(readFileSync(file + coding.suffix));
    } catch (e) {
      problems.push(`${copy} cannot be decompressed: ${e.message}`);
      continue;
    }
    if (!decoded.equals(data)) problems.push(`${copy} is stale: it does not decompress to ${rel}`);
  }
}
if (problems.length) {
  console.error(`dist/ is not fit to ship:\n  - ${problems.join('\n  - ')}`);
  console.error('Rebuild with `npm run build` (vite build, then scripts/compress-dist.mjs).');
  process.exit(1);
}
console.log('dist/: no source maps; every precompressed copy present and current');
