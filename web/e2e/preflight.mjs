// `npm run e2e` runs this first: a clear message instead of a wall of failures.
import { missingPrerequisites } from './lib/harness.mjs';

const missing = missingPrerequisites();
if (missing.length) {
  console.error(`Cannot run the end-to-end tests. Missing:\n  - ${missing.join('\n  - ')}`);
  process.exit(1);
}
