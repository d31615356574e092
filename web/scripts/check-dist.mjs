// Run after `vite build`: the shipped app must not carry source maps or point at any.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const problems = [];
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const file = path.join(entry.parentPath ?? entry.path, entry.name);
  const rel = path.relative(dist, file);
  if (rel.endsWith('.map')) problems.push(`${rel} is a source map`);
  else if (/\.(js|mjs|css|html)$/.test(rel) && readFileSync(file, 'utf8').includes('sourceMappingURL'))
    problems.push(`${rel} names a source map (sourceMappingURL)`);
}
if (problems.length) {
  console.error(`dist/ must not ship source maps:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
console.log('dist/: no source maps');
