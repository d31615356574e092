// The web app's API types, generated from docs/openapi.yaml (openapi-typescript) and formatted
// like the rest of the code: `node scripts/api-types.mjs` writes src/lib/api/schema.ts;
// `--check` fails when the committed file differs from a fresh generation (npm run check).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import * as prettier from 'prettier';

const source = new URL('../../docs/openapi.yaml', import.meta.url);
const target = fileURLToPath(new URL('../src/lib/api/schema.ts', import.meta.url));

const header =
  '// Generated from docs/openapi.yaml by `npm run api:types` (openapi-typescript). Do not edit:\n' +
  '// change the document and generate again. `npm run check` fails when this file is stale.\n\n';
const generated = header + astToString(await openapiTS(source));
const text = await prettier.format(generated, {
  ...(await prettier.resolveConfig(target)),
  filepath: target,
});

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== text) {
    console.error(
      'src/lib/api/schema.ts is not what docs/openapi.yaml generates: run `npm run api:types` and commit it.',
    );
    process.exit(1);
  }
  console.log('src/lib/api/schema.ts matches docs/openapi.yaml.');
} else {
  await writeFile(target, text);
  console.log('wrote src/lib/api/schema.ts');
}
