import { TrustedIdentityAPI } from '../api';

import {
  classifyError,
  DEFAULT_SETTINGS,
  ModelChange,
  normalizeSettings,
  TrustedIdentityModel
} from '../model';

import { FRONTEND_VERSION } from '../version';

import {
  deferred,
  etagRoute,
  flush,
  happyServer,
  json,
  quietConsole,
  RouteHandler,
  waitFor
} from './helpers';

import {
  accessTestAnswer,
  awsProfileKernel,
  happyKernel,
  sharedSpace
} from './reports';

const KERNEL = '159d2982-e0a2-4e4a-9c04-2c483836c516';
const OTHER = '0d3c1b0e-7a39-4d7b-9d6b-2d5d0d7c8a11';

function setup(routes: Record<string, RouteHandler> = {}) {
  const server = happyServer(routes);
  const model = new TrustedIdentityModel({
    api: new TrustedIdentityAPI({ serverSettings: server.settings })
  });
  const changes: ModelChange[] = [];
  model.changed.connect((_, change) => changes.push(change));
  return { server, model, changes };
}

const quiet = quietConsole('log', 'warn');

describe('normalizeSettings', () => {
  it('falls back to the defaults and keeps the minimum interval', () => {
    expect(normalizeSettings({})).toEqual(DEFAULT_SETTINGS);
    expect(normalizeSettings({ refreshInterval: 3 }).refreshInterval).toBe(10);
    expect(
      normalizeSettings({ refreshInterval: 'x', expiryWarningMinutes: -1 })
    ).toMatchObject({ refreshInterval: 60, expiryWarningMinutes: 0 });
  });
});

describe('TrustedIdentityModel', () => {
  it('starts loading, runs the handshake, then is ready with the report', async () => {
    const { model, server } = setup({
      'GET kernels': () => json({ kernels: [awsProfileKernel(KERNEL)] })
    });
    expect(model.state).toBe('loading');
    await model.start();
    await waitFor(() => model.state === 'ready' && model.kernels.size > 0);
    expect(model.report?.user.display_name).toBe('Jane Doe');
    expect(model.handshake?.ok).toBe(true);
    expect(model.kernel(KERNEL)?.report?.verdict).toBe('not_propagated');
    expect(
      server.requests.map(
        r => `${r.method} ${r.url.split('/trusted-identity/')[1]}`
      )
    ).toEqual(['GET version', 'GET identity', 'GET kernels']);
    // One clear line in the console.
    expect(quiet.log).toHaveBeenCalledWith(
      `jupyterlab-trusted-identity: server extension ${FRONTEND_VERSION} (schema 1)`
    );
    model.dispose();
  });

  it('reads the reports again after a Test access whose grantee is a user', async () => {
    const { model, server } = setup({
      'POST access-test': () => json(accessTestAnswer('allowed'))
    });
    model.setNeeded('panel', true); // the panel, where Test access is, is shown
    await model.start();
    await waitFor(() => model.state === 'ready');
    const reads = () =>
      server.requests.filter(r => r.url.endsWith('/trusted-identity/identity'))
        .length;
    const before = reads();
    await model.testAccess('s3://amzn-s3-demo-bucket/users/jdoe/a', 'READ');
    // The grantee may be proof the server now weighs: the poll reads again.
    await waitFor(() => reads() === before + 1);
    // A denial names no grantee: nothing to read again.
    server.routes['POST access-test'] = () => json(accessTestAnswer('denied'));
    await model.testAccess('s3://amzn-s3-demo-bucket/finance/q1.csv', 'READ');
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(reads()).toBe(before + 1);
    model.dispose();
  });

  it('reports a missing server extension once, and no report', async () => {
    const { model } = setup({
      'GET version': () =>
        new Response('<html>404</html>', {
          status: 404,
          statusText: 'Not Found'
        })
    });
    const failures: string[] = [];
    model.handshakeFailed.connect((_, result) => {
      failures.push(result.ok ? 'ok' : result.problem);
    });
    await model.refresh();
    await model.refresh();
    expect(model.state).toBe('server-missing');
    expect(model.report).toBeNull();
    expect(failures).toEqual(['missing']);
    model.dispose();
  });

  it('reports a version mismatch', async () => {
    const { model } = setup({
      'GET version': () => json({ version: '9.9.9', schema_version: 1 })
    });
    await model.refresh();
    expect(model.state).toBe('version-mismatch');
    expect(model.handshake?.ok).toBe(false);
    model.dispose();
  });

  it('is disconnected without a report when the server cannot be reached', async () => {
    const { model } = setup({
      'GET version': () => {
        throw new TypeError('Failed to fetch');
      }
    });
    await model.refresh();
    expect(model.state).toBe('disconnected');
    expect(model.error?.reason).toBe('network');
    expect(model.connectionLost).toBe(true);
    model.dispose();
  });

  it('is request-failed on a server error, and forbidden on 403', async () => {
    const { model, server } = setup({
      'POST identity/check': () =>
        json({ error: { code: 'internal_error', message: 'Boom.' } }, 500)
    });
    await model.refresh();
    expect(model.state).toBe('request-failed');
    expect(model.error).toMatchObject({
      reason: 'server-error',
      status: 500,
      message: 'Boom.'
    });

    server.routes['POST identity/check'] = () =>
      json({ error: { code: 'forbidden', message: 'Reload.' } }, 403);
    await model.refresh();
    expect(model.error?.reason).toBe('forbidden');
    model.dispose();
  });

  it('keeps the report when a later refresh fails, with the error', async () => {
    const { model, server } = setup();
    await model.refresh();
    expect(model.state).toBe('ready');
    server.routes['POST identity/check'] = () => {
      throw new TypeError('Failed to fetch');
    };
    await model.refresh();
    expect(model.state).toBe('ready');
    expect(model.report).not.toBeNull();
    expect(model.error?.reason).toBe('network');
    // It recovers.
    server.routes['POST identity/check'] = () => json(sharedSpace());
    await model.refresh();
    expect(model.error).toBeNull();
    expect(model.connectionLost).toBe(false);
    expect(model.report?.verdict).toBe('not_propagated');
    model.dispose();
  });

  it('refresh() re-checks the server report (POST) and reads the kernels', async () => {
    const { model, server } = setup();
    await model.refresh();
    const calls = server.requests.map(
      r => `${r.method} ${r.url.split('/trusted-identity/')[1]}`
    );
    expect(calls).toContain('POST identity/check');
    expect(calls).toContain('GET kernels');
    expect(calls).not.toContain('GET identity');
    model.dispose();
  });

  it('drops a reply that belongs to an earlier start of the kernel', async () => {
    const answer = deferred<Response>();
    const { model } = setup({
      'GET kernels/*': () => answer.promise
    });
    await model.refresh();
    const first = model.kernelLaunched(KERNEL);
    const pending = model.checkKernel(KERNEL, first);
    // The kernel restarts before the answer arrives.
    const second = model.kernelLaunched(KERNEL);
    expect(second).toBe(first + 1);
    answer.resolve(json(awsProfileKernel(KERNEL)));
    await expect(pending).resolves.toBeNull();
    expect(model.kernel(KERNEL)?.report).toBeNull();
    expect(model.kernel(KERNEL)?.checking).toBe(true);
    model.dispose();
  });

  it('accepts the reply of the current start', async () => {
    const { model } = setup({
      'GET kernels/*': () => json(awsProfileKernel(KERNEL))
    });
    const launch = model.kernelLaunched(KERNEL);
    const report = await model.checkKernel(KERNEL, launch);
    expect(report?.verdict).toBe('not_propagated');
    expect(model.kernel(KERNEL)).toMatchObject({
      checking: false,
      error: null
    });
    model.dispose();
  });

  it('re-checks a kernel with POST, and forgets a kernel that is gone (404)', async () => {
    const { model, server } = setup({
      'POST kernels/*/check': () => json(happyKernel(KERNEL))
    });
    model.kernelLaunched(KERNEL, false);
    const report = await model.recheckKernel(KERNEL);
    expect(report?.verdict).toBe('propagated');
    expect(server.requests[server.requests.length - 1]).toMatchObject({
      method: 'POST'
    });
    expect(server.requests[server.requests.length - 1]?.url).toMatch(
      new RegExp(`/trusted-identity/kernels/${KERNEL}/check$`)
    );

    server.routes['POST kernels/*/check'] = () =>
      json({ error: { code: 'not_found', message: 'No kernel.' } }, 404);
    await expect(model.recheckKernel(KERNEL)).resolves.toBeNull();
    expect(model.kernel(KERNEL)).toBeUndefined();
    model.dispose();
  });

  it('the kernel list does not override a kernel that started again meanwhile', async () => {
    const list = deferred<Response>();
    const { model, server } = setup();
    await model.refresh();
    model.kernelLaunched(KERNEL, false);
    server.routes['GET kernels'] = () => list.promise;
    const refreshing = model.refresh();
    await flush();
    model.kernelLaunched(KERNEL, false); // restarted while the list was on its way
    list.resolve(
      json({ kernels: [awsProfileKernel(KERNEL), happyKernel(OTHER)] })
    );
    await refreshing;
    expect(model.kernel(KERNEL)?.report).toBeNull();
    expect(model.kernel(OTHER)?.report?.verdict).toBe('propagated');

    // A kernel no longer listed is gone.
    server.routes['GET kernels'] = () => json({ kernels: [] });
    await model.refresh();
    expect(model.kernel(OTHER)).toBeUndefined();
    model.dispose();
  });

  it("the kernel list keeps a report of a later launch (the server's count)", async () => {
    const { model, server } = setup({
      'GET kernels/*': () =>
        json(happyKernel(KERNEL, { launch: 2, launched_at: null }))
    });
    await model.refresh();
    const launch = model.kernelLaunched(KERNEL);
    await model.checkKernel(KERNEL, launch);
    expect(model.kernel(KERNEL)?.report?.scope.launch).toBe(2);

    // A list that still carries the first launch's report (written later,
    // without `launched_at`): the launch count says it is older.
    const stale = awsProfileKernel(KERNEL);
    stale.scope.launch = 1;
    stale.scope.launched_at = null;
    stale.generated_at = '2099-01-01T00:00:00Z';
    server.routes['GET kernels'] = () => json({ kernels: [stale] });
    await model.refresh();
    expect(model.kernel(KERNEL)?.report?.verdict).toBe('propagated');

    // The next launch's report replaces it.
    const next = awsProfileKernel(KERNEL);
    next.scope.launch = 3;
    next.scope.launched_at = null;
    server.routes['GET kernels'] = () => json({ kernels: [next] });
    await model.refresh();
    expect(model.kernel(KERNEL)?.report?.verdict).toBe('not_propagated');
    model.dispose();
  });

  it('a kernel list the server did not change (304) changes nothing', async () => {
    let list: unknown = { kernels: [awsProfileKernel(KERNEL)] };
    const { model, server, changes } = setup({
      'GET kernels': etagRoute(() => list)
    });
    await model.refresh();
    const report = model.kernel(KERNEL)?.report;
    expect(report?.verdict).toBe('not_propagated');

    // Asked again: 304, the same reports, no 'kernels' change.
    changes.length = 0;
    await model.refresh();
    expect(server.requests.filter(r => r.url.endsWith('/kernels')).length).toBe(
      2
    );
    expect(changes).toContain('server');
    expect(model.kernel(KERNEL)?.report).toBe(report);
    expect(changes).not.toContain('kernels');

    // A changed list (a later report) is applied and announced.
    const later = happyKernel(KERNEL, { launch: 2 });
    list = { kernels: [later] };
    await model.refresh();
    expect(model.kernel(KERNEL)?.report?.verdict).toBe('propagated');
    expect(changes).toContain('kernels');
    model.dispose();
  });

  it('applies settings live: poll frequency, minimum, change signal', () => {
    const { model, changes } = setup();
    expect(model.poll.frequency.interval).toBe(60_000);
    model.applySettings({ refreshInterval: 30 });
    expect(model.poll.frequency).toMatchObject({
      interval: 30_000,
      backoff: true
    });
    expect(model.poll.frequency.max).toBeGreaterThanOrEqual(30_000);
    model.applySettings({ refreshInterval: 1 });
    expect(model.settings.refreshInterval).toBe(10);
    expect(model.poll.frequency.interval).toBe(10_000);
    model.applySettings({ expiryWarningMinutes: 5, showStatusBarItem: false });
    expect(model.settings).toMatchObject({
      expiryWarningMinutes: 5,
      showStatusBarItem: false
    });
    expect(changes.filter(c => c === 'settings')).toHaveLength(3);
    // The same values again: no change.
    model.applySettings({ expiryWarningMinutes: 5 });
    expect(changes.filter(c => c === 'settings')).toHaveLength(3);
    model.dispose();
  });

  it('stands by while nothing shows the reports', async () => {
    const server = happyServer();
    const model = new TrustedIdentityModel({
      api: new TrustedIdentityAPI({ serverSettings: server.settings })
    });
    const standby = () => (model.poll.standby as () => boolean | string)();
    // Before the first report: never stands by (the handshake must run).
    expect(standby()).toBe(false);
    await model.refresh();
    expect(standby()).toBe(true); // nothing shows it
    model.setNeeded('panel', true);
    expect(standby()).toBe('when-hidden');
    model.setNeeded('panel', false);
    model.setNeeded('status', true);
    expect(standby()).toBe('when-hidden');
    model.dispose();
  });

  it('reconnects through the poll: a failed tick rejects, so the poll backs off', async () => {
    const { model, server } = setup();
    await model.refresh();
    model.setNeeded('panel', true);
    model.noteConnectionLost();
    expect(model.connectionLost).toBe(true);

    server.routes['GET identity'] = () => {
      throw new TypeError('Failed to fetch');
    };
    const asked = () =>
      server.requests.filter(r => r.method === 'GET' && /identity$/.test(r.url))
        .length;
    const before = asked();
    await model.start();
    await waitFor(() => model.poll.state.phase === 'rejected');
    // Lumino's backoff sleeps a random time up to `max` before asking again;
    // nothing else asks meanwhile.
    expect(model.connectionLost).toBe(true);
    expect(model.poll.state.interval).toBeGreaterThan(0);
    expect(model.poll.state.interval).toBeLessThanOrEqual(
      model.poll.frequency.max
    );
    await flush();
    expect(asked()).toBe(before + 1);

    // It recovers.
    server.routes['GET identity'] = () => json(sharedSpace());
    await model.poll.refresh();
    await waitFor(() => !model.connectionLost);
    expect(model.poll.state.phase).toBe('resolved');
    expect(model.poll.state.interval).toBe(model.poll.frequency.interval);
    expect(model.state).toBe('ready');
    model.dispose();
  });

  it('refreshes when a consumer appears and the data is stale', async () => {
    let now = 1_000_000;
    const { model, server } = setup();
    (model as any)._now = () => now;
    await model.refresh();
    const before = server.requests.length;
    now += 120_000;
    model.setNeeded('panel', true);
    await model.start();
    await waitFor(() => server.requests.length > before);
    model.dispose();
  });

  it('records probes only for the current start', () => {
    const { model } = setup();
    const launch = model.kernelLaunched(KERNEL);
    const probe = { status: 'boto3-missing' as const, at: 'now' };
    expect(model.setProbe(KERNEL, launch - 1, probe)).toBe(false);
    expect(model.setProbe(KERNEL, launch, probe)).toBe(true);
    expect(model.kernel(KERNEL)?.probe).toEqual(probe);
    model.dispose();
  });
});

describe('classifyError', () => {
  it('knows bad replies', () => {
    expect(classifyError(new Error('odd')).reason).toBe('bad-reply');
    expect(classifyError('odd').reason).toBe('bad-reply');
  });
});
