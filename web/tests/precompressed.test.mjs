// @vitest-environment node
// compress-dist.mjs and check-dist.mjs on a small dist/ of their own: the copies are written and
// read back, and check-dist refuses a build whose copies are missing, stale or orphaned.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const scripts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'scripts');
const js = 'export const x = 1;\n'.repeat(200);

function run(script, dir) {
  try {
    return {
      ok: true,
      out: execFileSync('node', [path.join(scripts, script), dir], { encoding: 'utf8', stdio: 'pipe' }),
    };
  } catch (e) {
    return { ok: false, out: String(e.stderr) };
  }
}

describe('precompressed copies', { timeout: 30_000 }, () => {
  let dist;
  beforeEach(() => {
    dist = mkdtempSync(path.join(tmpdir(), 'dist-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), `<!doctype html>${'<p>slotlock</p>'.repeat(50)}`);
    writeFileSync(path.join(dist, 'assets', 'app-abc123.js'), js);
    writeFileSync(path.join(dist, 'assets', 'logo.png'), Buffer.alloc(500, 7));
    writeFileSync(path.join(dist, 'tiny.txt'), 'a');
  });
  afterEach(() => rmSync(dist, { recursive: true, force: true }));

  it('writes .gz and .br that decompress to the original, only where smaller', () => {
    expect(run('compress-dist.mjs', dist).ok).toBe(true);
    const file = path.join(dist, 'assets', 'app-abc123.js');
    expect(zlib.gunzipSync(readFileSync(`${file}.gz`)).toString()).toBe(js);
    expect(zlib.brotliDecompressSync(readFileSync(`${file}.br`)).toString()).toBe(js);
    expect(existsSync(path.join(dist, 'index.html.br'))).toBe(true);
    expect(existsSync(path.join(dist, 'assets', 'logo.png.gz'))).toBe(false); // not compressible
    expect(existsSync(path.join(dist, 'tiny.txt.gz'))).toBe(false); // would be larger
    expect(run('check-dist.mjs', dist)).toEqual({ ok: true, out: expect.stringContaining('current') });
  });

  it('refuses a missing, stale or orphaned copy, and a source map', () => {
    run('compress-dist.mjs', dist);
    const file = path.join(dist, 'assets', 'app-abc123.js');
    rmSync(`${file}.gz`);
    writeFileSync(`${file}.br`, zlib.brotliCompressSync(Buffer.from('old build')));
    writeFileSync(path.join(dist, 'gone.js.gz'), zlib.gzipSync(Buffer.from('x')));
    writeFileSync(path.join(dist, 'assets', 'app-abc123.js.map'), '{}');
    const result = run('check-dist.mjs', dist);
    expect(result.ok).toBe(false);
    expect(result.out).toContain('assets/app-abc123.js.gz is missing');
    expect(result.out).toContain('assets/app-abc123.js.br is stale');
    expect(result.out).toContain('gone.js.gz is a copy of nothing');
    expect(result.out).toContain('app-abc123.js.map is a source map');
  });

  it('a copy that no longer pays is removed on the next build', () => {
    run('compress-dist.mjs', dist);
    writeFileSync(path.join(dist, 'index.html'), 'x');
    expect(run('compress-dist.mjs', dist).ok).toBe(true);
    expect(existsSync(path.join(dist, 'index.html.gz'))).toBe(false);
    expect(run('check-dist.mjs', dist).ok).toBe(true);
  });
});
