import { compareVersions, notificationSummary } from '../handshake';

import {
  installCommand,
  installSteps,
  normalizeVersion,
  parseVersion,
  sameVersion,
  wheelName
} from '../install';

import {
  checkServerVersion,
  FRONTEND_VERSION,
  SCHEMA_VERSION,
  successMessage
} from '../version';

import { fakeServer, json } from './helpers';

declare const require: (id: string) => { version: string };
const packageVersion: string = require('../../package.json').version;

describe('FRONTEND_VERSION', () => {
  it('is the version of package.json', () => {
    expect(FRONTEND_VERSION).toBe(packageVersion);
    expect(SCHEMA_VERSION).toBe(1);
  });
});

describe('compareVersions', () => {
  it('accepts the same version and schema 1', () => {
    const result = compareVersions(
      { version: '0.1.0', schema_version: 1 },
      '0.1.0'
    );
    expect(result.ok).toBe(true);
    expect(result.message).toBe(
      'jupyterlab-trusted-identity: server extension 0.1.0 (schema 1)'
    );
  });

  it('reports another package version as a mismatch with the fix', () => {
    const result = compareVersions(
      { version: '0.2.0', schema_version: 1 },
      '0.1.0'
    );
    expect(result.ok).toBe(false);
    if (result.ok) {
      return;
    }
    expect(result.problem).toBe('mismatch');
    expect(result.server).toEqual({ version: '0.2.0', schema_version: 1 });
    expect(result.message).toContain('mismatch');
    expect(result.message).toContain('0.2.0');
    expect(result.message).toContain(
      '`pip install --no-deps jupyterlab_trusted_identity-0.1.0-py3-none-any.whl`'
    );
    expect(result.message).toContain('restart-jupyter-server');
  });

  it('reports another schema version as a mismatch', () => {
    const result = compareVersions(
      { version: '0.1.0', schema_version: 2 },
      '0.1.0'
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toBe('mismatch');
    expect(result.message).toContain('schema 2');
  });

  it('rejects a body without the handshake fields', () => {
    for (const body of [
      null,
      'ok',
      { version: '0.1.0' },
      { schema_version: 1 }
    ]) {
      const result = compareVersions(body, '0.1.0');
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problem).toBe('error');
    }
  });

  // The Python package's version is package.json's, turned into PEP 440 by
  // hatch-nodejs-version: the same build answers in the other scheme.
  it.each([
    ['0.2.0rc1', '0.2.0-rc.1'],
    ['0.2.0a0', '0.2.0-alpha.0'],
    ['0.2.0b2', '0.2.0-beta.2'],
    ['0.2.0.dev3', '0.2.0-dev.3'],
    ['0.2.0.post1', '0.2.0-post.1'],
    ['0.2.0rc1', '0.2.0-rc1'],
    ['0.1.0', '0.1.0']
  ])('accepts server %s for frontend %s', (server, frontend) => {
    const result = compareVersions(
      { version: server, schema_version: 1 },
      frontend
    );
    expect(result.ok).toBe(true);
    // Either way round: the frontend may be the PEP 440 spelling too.
    expect(
      compareVersions({ version: frontend, schema_version: 1 }, server).ok
    ).toBe(true);
  });

  it.each([
    ['0.2.0rc2', '0.2.0-rc.1'],
    ['0.2.0', '0.2.0-rc.1'],
    ['0.2.0rc1', '0.2.0'],
    ['0.2.0b1', '0.2.0-alpha.1'],
    ['0.2.0.dev1', '0.2.0'],
    ['0.2.0.post1', '0.2.0'],
    ['0.2.1', '0.2.0'],
    ['dev', '0.1.0'],
    ['', '0.1.0'],
    ['0.1.0; rm -rf /', '0.1.0']
  ])('reports server %s for frontend %s as a mismatch', (server, frontend) => {
    for (const [a, b] of [
      [server, frontend],
      [frontend, server]
    ]) {
      const result = compareVersions({ version: a, schema_version: 1 }, b);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problem).toBe('mismatch');
    }
  });
});

describe('version normalisation', () => {
  it.each([
    ['0.2.0-rc.1', '0.2.0rc1'],
    ['0.2.0-alpha.0', '0.2.0a0'],
    ['0.2.0-beta.2', '0.2.0b2'],
    ['0.2.0-dev.0', '0.2.0.dev0'],
    ['0.2.0-post.1', '0.2.0.post1'],
    ['0.2.0rc1', '0.2.0rc1'],
    ['0.2.0.RC1', '0.2.0rc1'],
    ['0.2.0-c1', '0.2.0rc1'],
    ['0.2.0-preview.4', '0.2.0rc4'],
    ['0.2.0rc', '0.2.0rc0'],
    ['0.2.0-1', '0.2.0.post1'],
    ['0.2.0-rev2', '0.2.0.post2'],
    ['v1.0', '1.0'],
    ['1!2.0', '1!2.0'],
    ['0.2.0+Build-07', '0.2.0+build.7'],
    ['  0.1.0\n', '0.1.0']
  ])('normalises %s to %s', (text, normal) => {
    expect(normalizeVersion(text)).toBe(normal);
  });

  it.each([
    '',
    'dev',
    'latest',
    '0.1.0-beta.x.7',
    '1.0.0-',
    '1..0',
    '0.1.0 0.2.0',
    '<script>'
  ])('leaves %j unparsed, compared as text', text => {
    expect(parseVersion(text)).toBeNull();
    expect(normalizeVersion(text)).toBe(text.trim());
    expect(sameVersion(text, text)).toBe(true);
    expect(sameVersion(text, '0.1.0')).toBe(false);
  });

  it('does not throw on values that are not strings', () => {
    for (const value of [null, undefined, 1, {}] as unknown[]) {
      expect(parseVersion(value as string)).toBeNull();
      expect(sameVersion(value as string, '0.1.0')).toBe(false);
    }
  });

  it('ignores trailing zeros of the release, as PEP 440 does', () => {
    expect(sameVersion('1.0', '1.0.0')).toBe(true);
    expect(sameVersion('1.0.0-rc.1', '1rc1')).toBe(true);
    expect(sameVersion('1.0.1', '1.0')).toBe(false);
  });

  it('names the wheel and the command by the PEP 440 version', () => {
    expect(wheelName('0.2.0-rc.1')).toBe(
      'jupyterlab_trusted_identity-0.2.0rc1-py3-none-any.whl'
    );
    expect(installCommand('0.1.0')).toBe(
      'pip install --no-deps jupyterlab_trusted_identity-0.1.0-py3-none-any.whl'
    );
    const steps = installSteps('0.2.0-alpha.0');
    expect(steps.before).toContain('server extension 0.2.0a0');
    expect(steps.command).toBe(installCommand('0.2.0-alpha.0'));
    expect(steps.after).toContain('restart-jupyter-server');
  });

  it("reads the frontend's own version", () => {
    expect(parseVersion(FRONTEND_VERSION)).not.toBeNull();
    expect(
      sameVersion(FRONTEND_VERSION, normalizeVersion(FRONTEND_VERSION))
    ).toBe(true);
  });
});

describe('checkServerVersion', () => {
  it('asks GET trusted-identity/version and accepts a match', async () => {
    const { settings, requests } = fakeServer(() =>
      json({ version: FRONTEND_VERSION, schema_version: 1 })
    );
    const result = await checkServerVersion(settings);
    expect(requests.map(({ url, method }) => ({ url, method }))).toEqual([
      {
        url: 'http://127.0.0.1:8888/jupyterlab/default/trusted-identity/version',
        method: 'GET'
      }
    ]);
    expect(result).toEqual({
      ok: true,
      server: { version: FRONTEND_VERSION, schema_version: 1 },
      message: successMessage({ version: FRONTEND_VERSION, schema_version: 1 })
    });
    expect(result.message).toBe(
      `jupyterlab-trusted-identity: server extension ${FRONTEND_VERSION} (schema 1)`
    );
  });

  it('reports a mismatched server extension', async () => {
    const { settings } = fakeServer(() =>
      json({ version: '9.9.9', schema_version: 1 })
    );
    const result = await checkServerVersion(settings, '0.1.0');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toBe('mismatch');
    expect(result.message).toMatch(
      /server extension is 9\.9\.9 .*frontend is 0\.1\.0/
    );
  });

  it('reports a missing route (404) as a missing server extension', async () => {
    const { settings } = fakeServer(
      () =>
        new Response('<html><title>404 : Not Found</title></html>', {
          status: 404,
          statusText: 'Not Found',
          headers: { 'Content-Type': 'text/html' }
        })
    );
    const result = await checkServerVersion(settings, '0.1.0');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toBe('missing');
    expect(!result.ok && result.server).toBeNull();
    expect(result.message).toContain('server extension is missing');
    expect(result.message).toContain(
      'pip install --no-deps jupyterlab_trusted_identity-0.1.0-py3-none-any.whl'
    );
    expect(result.message).not.toContain('mismatch');
  });

  it('reports a server error without throwing', async () => {
    const { settings } = fakeServer(() =>
      json({ error: { code: 'internal', message: 'Boom.' } }, 500)
    );
    const result = await checkServerVersion(settings, '0.1.0');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toBe('error');
    expect(result.message).toContain('Boom.');
  });
});

describe('notificationSummary', () => {
  it('tells how to install a missing server extension, briefly', () => {
    const summary = notificationSummary(
      { ok: false, problem: 'missing', server: null, message: 'long' },
      undefined,
      '0.1.0'
    );
    expect(summary).toBe(
      'Trusted identity: server extension missing. Install jupyterlab_trusted_identity-0.1.0-py3-none-any.whl, then restart Jupyter.'
    );
    expect(summary.length).toBeLessThanOrEqual(140);
  });

  it('names both versions of a mismatch', () => {
    const summary = notificationSummary(
      {
        ok: false,
        problem: 'mismatch',
        server: { version: '0.2.0', schema_version: 1 },
        message: 'long'
      },
      undefined,
      '0.1.0'
    );
    expect(summary).toBe(
      'Trusted identity: server extension 0.2.0, frontend 0.1.0. Install jupyterlab_trusted_identity-0.1.0-py3-none-any.whl, then restart Jupyter.'
    );
    expect(summary.length).toBeLessThanOrEqual(140);
  });

  it('names the wheel by its Python version for a pre-release frontend', () => {
    const summary = notificationSummary(
      { ok: false, problem: 'missing', server: null, message: 'long' },
      undefined,
      '0.2.0-rc.1'
    );
    expect(summary).toContain(
      'jupyterlab_trusted_identity-0.2.0rc1-py3-none-any.whl'
    );
    expect(summary.length).toBeLessThanOrEqual(140);
  });

  it('names the schema of a schema mismatch', () => {
    const summary = notificationSummary(
      {
        ok: false,
        problem: 'mismatch',
        server: { version: '0.1.0', schema_version: 2 },
        message: 'long'
      },
      undefined,
      '0.1.0'
    );
    expect(summary).toContain('server extension 0.1.0, schema 2');
  });
});
