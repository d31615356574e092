// @vitest-environment node
// The lint config is code too: these run ESLint's API on fixture strings placed at real paths,
// so a zone that stops matching (a renamed folder, a resolver that fails) fails here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: web });

async function zoneErrors(file, code) {
  const [result] = await eslint.lintText(code, { filePath: path.join(web, file) });
  return result.messages.filter((m) => m.ruleId?.startsWith('import-x/')).map((m) => m.message);
}

describe('import zones', () => {
  it('a feature importing another feature by a relative path fails', async () => {
    const errors = await zoneErrors(
      'src/features/edit-lock/components/probe.tsx',
      "import { LiveCursors } from '../../live-cursors/components/live-cursors';\nexport const x = LiveCursors;\n",
    );
    expect(errors).toEqual([expect.stringMatching(/Features do not import each other/)]);
  });

  it('a feature importing another feature by the @ alias fails', async () => {
    const errors = await zoneErrors(
      'src/features/appointments/components/probe.tsx',
      "import { useLockStore } from '@/features/edit-lock/stores/lock-store';\nexport const x = useLockStore;\n",
    );
    expect(errors).toEqual([expect.stringMatching(/Features do not import each other/)]);
  });

  it('shared code importing a feature or the app layer fails', async () => {
    expect(
      await zoneErrors(
        'src/lib/probe.ts',
        "import { useAuthStore } from '../features/auth';\nexport const x = useAuthStore;\n",
      ),
    ).toEqual([expect.stringMatching(/Shared code/)]);
    expect(
      await zoneErrors(
        'src/components/ui/probe.tsx',
        "import { makeRouter } from '@/app/router';\nexport const x = makeRouter;\n",
      ),
    ).toEqual([expect.stringMatching(/Shared code/)]);
  });

  it('a feature importing the app layer fails', async () => {
    const errors = await zoneErrors(
      'src/features/audit/components/probe.tsx',
      "import { AppLayout } from '../../../app/routes/app-layout';\nexport const x = AppLayout;\n",
    );
    expect(errors).toEqual([expect.stringMatching(/Features do not import the app layer/)]);
  });

  it('inside a feature, shared code, and app/ composing features all pass', async () => {
    expect(
      await zoneErrors(
        'src/features/edit-lock/components/probe.tsx',
        "import { useLockStore } from '../stores/lock-store';\nimport { isValidTimeZone } from '@/lib/clinic-time';\nexport const x = [useLockStore, isValidTimeZone];\n",
      ),
    ).toEqual([]);
    expect(
      await zoneErrors(
        'src/app/routes/probe.tsx',
        "import { LiveCursors } from '@/features/live-cursors';\nimport { AuditPage } from '../../features/audit';\nexport const x = [LiveCursors, AuditPage];\n",
      ),
    ).toEqual([]);
  });

  it('an import that does not resolve is an error (it could not be checked)', async () => {
    const errors = await zoneErrors(
      'src/features/auth/components/probe.tsx',
      "import { x } from '../../nowhere/thing';\nexport const y = x;\n",
    );
    expect(errors).toEqual([expect.stringMatching(/Unable to resolve/)]);
  });
});
