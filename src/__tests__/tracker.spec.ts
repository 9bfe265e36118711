import { TrustedIdentityAPI } from '../api';

import { TrustedIdentityModel } from '../model';

import { IProbeResult, IReport } from '../types';

import {
  FRESH_START_SECONDS,
  isFreshStart,
  ITrackedSession,
  KernelSessionTracker
} from '../tracker';

import { FakeKernel, FakeShell, FakeTracker, FakeWidget } from './fakes';

import { deferred, flush, json, routedServer, versionRoute } from './helpers';

import { awsProfileKernel, happyKernel } from './reports';

const K1 = '11111111-1111-4111-8111-111111111111';
const K2 = '22222222-2222-4222-8222-222222222222';

/**
 * A kernel report whose start the server saw just now, as its `launch`-th
 * start or restart.
 */
function fresh(report: IReport, launch = 1): IReport {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  report.generated_at = now;
  report.scope.launched_at = now;
  report.scope.launch = launch;
  return report;
}

function setup(
  options: {
    answer?: (kernelId: string) => Promise<Response> | Response;
    settings?: Record<string, unknown>;
  } = {}
) {
  const checks: string[] = [];
  // Like the server, the default answer counts each kernel's launches: here
  // every check of a kernel follows a new start.
  const launches = new Map<string, number>();
  const answer =
    options.answer ??
    ((id: string) => {
      launches.set(id, (launches.get(id) ?? 0) + 1);
      return json(fresh(awsProfileKernel(id), launches.get(id)));
    });
  const server = routedServer({
    'GET version': versionRoute(),
    'GET kernels/*': ({ path }) => {
      const id = path.split('/')[1];
      checks.push(id);
      return answer(id);
    },
    'POST kernels/*/check': ({ path }) => {
      const id = path.split('/')[1];
      checks.push(`recheck ${id}`);
      return json(fresh(happyKernel(id)));
    }
  });
  const model = new TrustedIdentityModel({
    api: new TrustedIdentityAPI({ serverSettings: server.settings }),
    settings: options.settings
  });
  const notebooks = new FakeTracker();
  const consoles = new FakeTracker();
  const shell = new FakeShell();
  const notified: { report: IReport; session: ITrackedSession | null }[] = [];
  const probes: string[] = [];
  const tracker = new KernelSessionTracker({
    model,
    notebooks,
    consoles,
    shell,
    notify: (report, session) => notified.push({ report, session }),
    probe: async kernel => {
      probes.push(kernel.id);
      return { status: 'boto3-missing', at: 'now' } as IProbeResult;
    }
  });
  return {
    model,
    tracker,
    notebooks,
    consoles,
    shell,
    notified,
    probes,
    checks
  };
}

/**
 * Open a notebook whose kernel starts and becomes idle.
 */
function openNotebook(
  notebooks: FakeTracker,
  path: string,
  kernelId: string | null
): FakeWidget {
  const widget = new FakeWidget(path);
  notebooks.add(widget);
  if (kernelId) {
    widget.context.setKernel(new FakeKernel(kernelId, 'python3-aws-profile'));
    widget.context.setStatus('starting');
  }
  return widget;
}

describe('KernelSessionTracker', () => {
  it('checks a kernel once, when it first reaches idle', async () => {
    const { tracker, notebooks, checks, notified, model } = setup();
    const widget = openNotebook(notebooks, 'aws.ipynb', K1);
    await flush();
    expect(checks).toEqual([]); // not idle yet
    expect(model.kernel(K1)?.checking).toBe(true);

    widget.context.setStatus('idle');
    await flush();
    expect(checks).toEqual([K1]);
    expect(model.kernel(K1)?.report?.verdict).toBe('not_propagated');
    expect(notified).toHaveLength(1);
    expect(notified[0].session?.name).toBe('aws.ipynb');

    // Busy and idle again, a reconnection: the same start, no new check.
    widget.context.setStatus('busy');
    widget.context.setStatus('idle');
    widget.context.connectionStatusChanged.emit('connected');
    await flush();
    expect(checks).toEqual([K1]);
    expect(notified).toHaveLength(1);
    tracker.dispose();
  });

  it('checks again once after a restart', async () => {
    const { tracker, notebooks, checks, notified } = setup();
    const widget = openNotebook(notebooks, 'aws.ipynb', K1);
    widget.context.setStatus('idle');
    await flush();
    widget.context.setStatus('restarting');
    widget.context.setStatus('autorestarting');
    widget.context.setStatus('starting');
    await flush();
    expect(checks).toEqual([K1]);
    widget.context.setStatus('idle');
    widget.context.setStatus('idle');
    await flush();
    expect(checks).toEqual([K1, K1]);
    expect(notified).toHaveLength(2); // one per start
    tracker.dispose();
  });

  it('notifies once per launch the server counts, however many restart signals', async () => {
    // The server reports the same launch twice: the second restart signal
    // came after the first one's check, but the kernel started only once.
    const { tracker, notebooks, checks, notified } = setup({
      answer: id => json(fresh(awsProfileKernel(id), 2))
    });
    const widget = openNotebook(notebooks, 'aws.ipynb', K1);
    widget.context.setStatus('restarting');
    widget.context.setStatus('idle');
    await flush();
    widget.context.setStatus('autorestarting');
    widget.context.setStatus('idle');
    await flush();
    expect(checks).toEqual([K1, K1]);
    expect(notified).toHaveLength(1);
    tracker.dispose();
  });

  it('drops the reply of a start that restarted meanwhile', async () => {
    const first = deferred<Response>();
    let calls = 0;
    const { tracker, notebooks, notified, model } = setup({
      answer: id => {
        calls++;
        return calls === 1 ? first.promise : json(fresh(happyKernel(id)));
      }
    });
    const widget = openNotebook(notebooks, 'aws.ipynb', K1);
    widget.context.setStatus('idle');
    await flush();
    widget.context.setStatus('restarting');
    widget.context.setStatus('idle');
    await flush();
    expect(model.kernel(K1)?.report?.verdict).toBe('propagated');
    // The first start's (not propagated) answer arrives late: dropped.
    first.resolve(json(fresh(awsProfileKernel(K1))));
    await flush();
    expect(model.kernel(K1)?.report?.verdict).toBe('propagated');
    expect(notified).toHaveLength(0);
    tracker.dispose();
  });

  it('checks a kernel shared by two widgets once per start', async () => {
    const { tracker, notebooks, consoles, checks } = setup();
    const notebook = openNotebook(notebooks, 'aws.ipynb', K1);
    const console_ = new FakeWidget('aws.ipynb', 'Console 1');
    consoles.add(console_);
    console_.context.setKernel(new FakeKernel(K1));
    notebook.context.setStatus('idle');
    console_.context.setStatus('idle');
    await flush();
    expect(checks).toEqual([K1]);
    // Both see the restart.
    notebook.context.setStatus('restarting');
    console_.context.setStatus('restarting');
    notebook.context.setStatus('idle');
    console_.context.setStatus('idle');
    await flush();
    expect(checks).toEqual([K1, K1]);
    expect(tracker.sessions.map(s => s.kind)).toEqual(['notebook', 'console']);
    tracker.dispose();
  });

  it('checks the new kernel when the kernel changes', async () => {
    const { tracker, notebooks, checks } = setup();
    const widget = openNotebook(notebooks, 'aws.ipynb', K1);
    widget.context.setStatus('idle');
    widget.context.setKernel(new FakeKernel(K2));
    widget.context.setStatus('idle');
    await flush();
    expect(checks).toEqual([K1, K2]);
    expect(tracker.sessions[0].kernelId).toBe(K2);
    tracker.dispose();
  });

  it('disconnects from a disposed widget', async () => {
    const { tracker, notebooks, checks } = setup();
    const widget = openNotebook(notebooks, 'aws.ipynb', K1);
    widget.context.setStatus('idle');
    await flush();
    expect(tracker.followedCount).toBe(1);
    widget.dispose();
    expect(tracker.followedCount).toBe(0);
    expect(tracker.sessions).toEqual([]);
    // Signals of the old widget no longer reach the tracker.
    widget.context.setStatus('restarting');
    widget.context.setStatus('idle');
    widget.context.setKernel(new FakeKernel(K2));
    widget.context.setStatus('idle');
    await flush();
    expect(checks).toEqual([K1]);
    tracker.dispose();
  });

  it('follows the current widget; switching notebooks moves it', async () => {
    const { tracker, notebooks, shell } = setup();
    const a = openNotebook(notebooks, 'a.ipynb', K1);
    const b = openNotebook(notebooks, 'b.ipynb', K2);
    const seen: (string | null)[] = [];
    tracker.currentChanged.connect((_, current) =>
      seen.push(current?.name ?? null)
    );
    shell.activate(a);
    shell.activate(b);
    expect(tracker.current?.name).toBe('b.ipynb');
    // The old current widget's kernel changes: the current stays b.
    a.context.setKernel(new FakeKernel('33333333-3333-4333-8333-333333333333'));
    expect(tracker.current?.name).toBe('b.ipynb');
    shell.activate({ id: 'launcher' });
    expect(tracker.current).toBeNull();
    // Closing the current widget clears it.
    shell.activate(b);
    b.dispose();
    expect(tracker.current).toBeNull();
    expect(seen).toEqual(['a.ipynb', 'b.ipynb', null, 'b.ipynb', null]);
    tracker.dispose();
  });

  it('uses the trackers when there is no shell', async () => {
    const model = new TrustedIdentityModel({
      api: new TrustedIdentityAPI({ serverSettings: routedServer().settings })
    });
    const notebooks = new FakeTracker();
    const widget = new FakeWidget('x.ipynb');
    notebooks.add(widget);
    const tracker = new KernelSessionTracker({ model, notebooks });
    notebooks.setCurrent(widget);
    expect(tracker.current?.name).toBe('x.ipynb');
    tracker.dispose();
  });

  it('follows widgets that exist before it', async () => {
    const model = new TrustedIdentityModel({
      api: new TrustedIdentityAPI({ serverSettings: routedServer().settings })
    });
    const notebooks = new FakeTracker();
    const widget = new FakeWidget('old.ipynb');
    widget.context.setKernel(new FakeKernel(K1));
    notebooks.widgets.push(widget);
    const tracker = new KernelSessionTracker({ model, notebooks });
    expect(tracker.sessions.map(s => s.kernelId)).toEqual([K1]);
    tracker.dispose();
  });

  it('does not notify again for a kernel already running at a page reload', async () => {
    const { tracker, notebooks, checks, notified } = setup({
      answer: id => {
        const report = awsProfileKernel(id);
        report.scope.launched_at = '2026-01-01T00:00:00Z';
        report.generated_at = '2026-01-01T02:00:00Z';
        return json(report);
      }
    });
    const widget = new FakeWidget('aws.ipynb');
    const kernel = new FakeKernel(K1);
    kernel.status = 'idle';
    widget.context.session = { kernel, path: 'aws.ipynb' };
    notebooks.add(widget);
    await flush();
    expect(checks).toEqual([K1]); // still checked
    expect(notified).toHaveLength(0);
    tracker.dispose();
  });

  it('applies settings live: no check, no notification, probe', async () => {
    const { tracker, notebooks, checks, notified, probes, model } = setup();
    model.applySettings({ notifyWhenNotPropagated: false });
    const widget = openNotebook(notebooks, 'aws.ipynb', K1);
    widget.context.setStatus('idle');
    await flush();
    expect(checks).toEqual([K1]);
    expect(notified).toHaveLength(0);
    expect(probes).toEqual([]);

    model.applySettings({
      notifyWhenNotPropagated: true,
      probeInsideKernel: true
    });
    widget.context.setStatus('restarting');
    widget.context.setStatus('idle');
    await flush();
    expect(notified).toHaveLength(1);
    expect(probes).toEqual([K1]);
    expect(model.kernel(K1)?.probe?.status).toBe('boto3-missing');

    model.applySettings({ checkOnKernelLaunch: false });
    widget.context.setStatus('restarting');
    widget.context.setStatus('idle');
    await flush();
    expect(checks).toEqual([K1, K1]);
    expect(model.kernel(K1)?.checking).toBe(false);
    tracker.dispose();
  });

  it('re-checks a kernel on request (POST)', async () => {
    const { tracker, notebooks, checks, model } = setup();
    const widget = openNotebook(notebooks, 'aws.ipynb', K1);
    widget.context.setStatus('idle');
    await flush();
    const report = await tracker.recheck(K1);
    expect(report?.verdict).toBe('propagated');
    expect(checks).toEqual([K1, `recheck ${K1}`]);
    expect(model.kernel(K1)?.report?.verdict).toBe('propagated');
    tracker.dispose();
  });

  it('disconnects from everything when disposed', async () => {
    const { tracker, notebooks, checks } = setup();
    tracker.dispose();
    openNotebook(notebooks, 'late.ipynb', K1).context.setStatus('idle');
    await flush();
    expect(checks).toEqual([]);
    expect(tracker.isDisposed).toBe(true);
  });
});

describe('isFreshStart', () => {
  it('is true for restarts and for starts the server saw just now', () => {
    const report = awsProfileKernel(K1);
    report.scope.launched_at = '2026-11-28T12:00:00Z';
    report.generated_at = '2026-11-28T12:00:05Z';
    expect(isFreshStart(report, { restart: false, observed: false })).toBe(
      true
    );
    report.generated_at = new Date(
      Date.parse('2026-11-28T12:00:00Z') + (FRESH_START_SECONDS + 1) * 1000
    ).toISOString();
    expect(isFreshStart(report, { restart: false, observed: true })).toBe(
      false
    );
    expect(isFreshStart(report, { restart: true, observed: false })).toBe(true);
    report.scope.launched_at = null;
    expect(isFreshStart(report, { restart: false, observed: true })).toBe(true);
    expect(isFreshStart(report, { restart: false, observed: false })).toBe(
      false
    );
  });
});
