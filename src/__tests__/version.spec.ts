import {
  checkServerVersion,
  compareVersions,
  FRONTEND_VERSION,
  notificationSummary,
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
      'pip install jupyterlab-trusted-identity==0.1.0'
    );
    expect(result.message).toContain('restart');
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
});

describe('checkServerVersion', () => {
  it('asks GET trusted-identity/version and accepts a match', async () => {
    const { settings, requests } = fakeServer(() =>
      json({ version: FRONTEND_VERSION, schema_version: 1 })
    );
    const result = await checkServerVersion(settings);
    expect(requests).toEqual([
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
      'pip install jupyterlab-trusted-identity==0.1.0'
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
      'Trusted identity: the server extension is missing. Run `pip install jupyterlab-trusted-identity==0.1.0` and restart JupyterLab.'
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
      'Trusted identity: version mismatch (server extension 0.2.0, frontend 0.1.0). Run `pip install jupyterlab-trusted-identity==0.1.0` and restart JupyterLab.'
    );
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
