import { CommandRegistry } from '@lumino/commands';

import { Widget } from '@lumino/widgets';

import { TrustedIdentityAPI } from '../api';

import { addCommands } from '../commands';

import { TrustedIdentityModel } from '../model';

import { CommandIDs } from '../tokens';

import { KernelSessionTracker } from '../tracker';

import {
  IdentityStatusItem,
  sessionRows,
  statusView,
  TrustedIdentityPanel
} from '../widgets';

import { nullTranslator } from '@jupyterlab/translation';

import { formatTime } from '../format';

import { FakeKernel, FakeShell, FakeTracker, FakeWidget } from './fakes';

import {
  deferred,
  flush,
  happyServer,
  json,
  quietConsole,
  RouteHandler,
  todayAt,
  waitFor
} from './helpers';

import {
  awsProfileKernel,
  happy,
  happyKernel,
  outsideStudio,
  profileOnly,
  SECRET_PATTERNS,
  sharedSpace,
  stsThrottled
} from './reports';

const trans = nullTranslator.load('jupyterlab_trusted_identity');
const K1 = '159d2982-e0a2-4e4a-9c04-2c483836c516';
const K2 = '22222222-2222-4222-8222-222222222222';

function setup(routes: Record<string, RouteHandler> = {}) {
  const server = happyServer({
    'GET kernels/*': ({ path }) => json(awsProfileKernel(path.split('/')[1])),
    'POST kernels/*/check': ({ path }) => json(happyKernel(path.split('/')[1])),
    ...routes
  });
  const model = new TrustedIdentityModel({
    api: new TrustedIdentityAPI({ serverSettings: server.settings })
  });
  const notebooks = new FakeTracker();
  const shell = new FakeShell();
  const tracker = new KernelSessionTracker({ model, notebooks, shell });
  return { server, model, notebooks, shell, tracker };
}

quietConsole('log', 'warn');
afterEach(() => {
  document.body.innerHTML = '';
});

describe('TrustedIdentityPanel', () => {
  it('shows a reason-coded state before the report, then the report', async () => {
    const { model, tracker } = setup();
    const panel = new TrustedIdentityPanel({ model, tracker, trans });
    Widget.attach(panel, document.body);
    expect(panel.id).toBe('jupyterlab-trusted-identity');
    expect(panel.title.caption).toBe('Trusted identity');
    expect(panel.title.icon).toBeTruthy();
    await waitFor(() => !!panel.node.querySelector('[data-reason="loading"]'));
    expect(panel.content.isHidden).toBe(true);

    await model.refresh();
    await waitFor(
      () => !!panel.node.querySelector('[data-verdict="propagated"]')
    );
    expect(panel.content.isHidden).toBe(false);
    expect(panel.widgets.map(s => s.title.label)).toEqual([
      'Identity',
      'Sessions',
      'Checks',
      'Studio space',
      'Services and limits'
    ]);
    await waitFor(() =>
      (panel.node.textContent ?? '').includes('jdoe@example.com')
    );
    for (const pattern of SECRET_PATTERNS) {
      expect(panel.node.innerHTML).not.toMatch(pattern);
    }
    panel.dispose();
  });

  it('shows the missing server extension', async () => {
    const { model, tracker } = setup({
      'GET version': () => new Response('', { status: 404 })
    });
    const panel = new TrustedIdentityPanel({ model, tracker, trans });
    Widget.attach(panel, document.body);
    await model.refresh();
    await waitFor(
      () => !!panel.node.querySelector('[data-reason="server-missing"]')
    );
    expect(panel.content.isHidden).toBe(true);
    expect(panel.hasClass('jp-mod-empty')).toBe(true);
    panel.dispose();
  });

  it('tells the model whether it is shown', async () => {
    const { model, tracker } = setup();
    const panel = new TrustedIdentityPanel({ model, tracker, trans });
    Widget.attach(panel, document.body);
    expect(model.needed).toBe(true);
    panel.hide();
    expect(model.needed).toBe(false);
    panel.show();
    expect(model.needed).toBe(true);
    panel.dispose();
    expect(model.needed).toBe(false);
  });

  it('applies the expiry warning setting live', async () => {
    const report = happy();
    report.credentials.expires_at = new Date(
      Date.now() + 10 * 60_000
    ).toISOString();
    const { model, tracker } = setup({
      'POST identity/check': () => json(report)
    });
    const panel = new TrustedIdentityPanel({ model, tracker, trans });
    Widget.attach(panel, document.body);
    await model.refresh();
    const state = () =>
      panel.node
        .querySelector('.jp-TrustedIdentity-expiry')
        ?.getAttribute('data-state');
    await waitFor(() => state() === 'warning');
    model.applySettings({ expiryWarningMinutes: 5 });
    await waitFor(() => state() === 'ok');
    model.applySettings({ expiryWarningMinutes: 30 });
    await waitFor(() => state() === 'warning');
    panel.dispose();
  });

  it('lists sessions, activates and re-checks rows', async () => {
    const { model, tracker, notebooks, shell } = setup({
      'GET kernels': () =>
        json({ kernels: [happyKernel(K2, { session_path: 'other.ipynb' })] })
    });
    const activated: string[] = [];
    const rechecked: string[] = [];
    const panel = new TrustedIdentityPanel({
      model,
      tracker,
      trans,
      onActivate: row => activated.push(row.key),
      onRecheck: row => rechecked.push(row.kernelId ?? '')
    });
    Widget.attach(panel, document.body);
    await model.refresh();
    const widget = new FakeWidget('work/aws.ipynb');
    notebooks.add(widget);
    widget.context.setKernel(new FakeKernel(K1));
    widget.context.setStatus('idle');
    shell.activate(widget);
    await flush();
    const rows = sessionRows(model, tracker, trans);
    expect(
      rows.map(r => [r.name, r.kind, r.report?.verdict, r.current])
    ).toEqual([
      ['aws.ipynb', 'notebook', 'not_propagated', true],
      ['other.ipynb', 'kernel', 'propagated', false]
    ]);
    await waitFor(
      () =>
        panel.node.querySelectorAll('.jp-TrustedIdentity-session').length === 2
    );
    await waitFor(() =>
      (
        panel.node.querySelector('.jp-TrustedIdentity-bannerKernels')
          ?.textContent ?? ''
      ).includes('aws.ipynb')
    );
    (
      panel.node.querySelector(
        'button.jp-TrustedIdentity-sessionMain'
      ) as HTMLElement
    ).click();
    (
      panel.node.querySelector('.jp-TrustedIdentity-recheck') as HTMLElement
    ).click();
    expect(activated).toEqual([widget.id]);
    expect(rechecked).toEqual([K1]);
    panel.dispose();
  });
});

describe('the call budget in the panel', () => {
  it('notes that AWS throttles, while the space report says so', async () => {
    let answer = stsThrottled();
    const { model, tracker } = setup({
      'POST identity/check': () => json(answer)
    });
    const panel = new TrustedIdentityPanel({ model, tracker, trans });
    Widget.attach(panel, document.body);
    const note = () =>
      panel.node.querySelector('.jp-TrustedIdentity-throttled');
    await model.refresh();
    await waitFor(() => !!note());
    expect(note()!.getAttribute('data-throttled')).toBe(
      'sts:GetCallerIdentity'
    );
    expect(note()!.textContent).toContain('asks less often');
    expect(note()!.closest('[role="status"]')?.getAttribute('aria-live')).toBe(
      'polite'
    );

    answer = happy();
    await model.refresh();
    await waitFor(() => !note());
    panel.dispose();
  });

  it('shows when CloudTrail is asked next', async () => {
    // The captured outside_studio report: inconclusive, a lookup scheduled.
    const report = outsideStudio();
    expect(report.verification.next_lookup_at).toBeTruthy();
    const at = todayAt(14, 5);
    report.verification.next_lookup_at = at;
    const { model, tracker } = setup({
      'POST identity/check': () => json(report)
    });
    const panel = new TrustedIdentityPanel({ model, tracker, trans });
    Widget.attach(panel, document.body);
    await model.refresh();
    const note = () => panel.node.querySelector('[data-next-lookup]');
    await waitFor(() => !!note());
    expect(note()!.textContent).toBe(
      `CloudTrail is asked again at ${formatTime(at)}.`
    );
    panel.dispose();
  });
});

describe('status bar item', () => {
  it('shows the current notebook, else the space, else the state', async () => {
    const { model, tracker, notebooks, shell } = setup({
      'POST identity/check': () => json(sharedSpace())
    });
    expect(statusView(model, null, trans)).toMatchObject({
      verdict: 'checking',
      scope: 'none'
    });
    await model.refresh();
    expect(statusView(model, null, trans)).toMatchObject({
      scope: 'server',
      verdict: 'not_propagated',
      text: 'Not propagated'
    });
    const item = new IdentityStatusItem({
      model,
      tracker,
      trans,
      onClick: jest.fn()
    });
    Widget.attach(item, document.body);

    const widget = new FakeWidget('aws.ipynb');
    notebooks.add(widget);
    widget.context.setKernel(new FakeKernel(K1));
    shell.activate(widget);
    expect(statusView(model, tracker.current, trans)).toMatchObject({
      scope: 'kernel',
      verdict: 'checking'
    });
    widget.context.setStatus('idle');
    await waitFor(() => !!model.kernel(K1)?.report);
    const view = statusView(model, tracker.current, trans);
    expect(view).toMatchObject({
      scope: 'kernel',
      verdict: 'not_propagated',
      tone: 'error'
    });
    expect(view.tooltip).toContain('AWS_PROFILE');
    await waitFor(
      () =>
        item.node
          .querySelector('[data-scope="kernel"]')
          ?.getAttribute('data-verdict') === 'not_propagated'
    );
    const button = item.node.querySelector('[role="button"]') as HTMLElement;
    expect(button.getAttribute('tabindex')).toBe('0');
    button.click();
    button.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })
    );

    // A propagated kernel shows the user name.
    model.forgetKernel(K1);
    model.kernelLaunched(K1, false);
    await model.recheckKernel(K1);
    expect(statusView(model, tracker.current, trans)).toMatchObject({
      text: 'jdoe',
      tone: 'success'
    });
    item.dispose();
  });
});

describe('commands', () => {
  it('copies a summary without secrets, downloads the audit, re-checks', async () => {
    const { model, tracker, notebooks, shell, server } = setup({
      'GET audit': ({ query }) =>
        new Response(
          `at,event\n${query.get('format')},${query.get('limit')}\n`,
          {
            status: 200,
            headers: { 'Content-Type': 'text/csv' }
          }
        )
    });
    const commands = new CommandRegistry();
    const copied: string[] = [];
    const downloads: [string, string, string][] = [];
    const opened = jest.fn();
    addCommands({
      commands,
      model,
      tracker,
      trans,
      openPanel: opened,
      copy: text => copied.push(text),
      download: (name, text, type) => downloads.push([name, text, type])
    });
    expect(commands.label(CommandIDs.copySummary)).toBe(
      'Copy the Identity Summary'
    );
    expect(commands.isEnabled(CommandIDs.copySummary)).toBe(false);
    expect(commands.isEnabled(CommandIDs.recheckKernel)).toBe(false);
    await model.refresh();
    expect(commands.isEnabled(CommandIDs.copySummary)).toBe(true);

    await commands.execute(CommandIDs.open);
    expect(opened).toHaveBeenCalled();

    await commands.execute(CommandIDs.copySummary);
    expect(copied[0]).toContain('Jane Doe');
    for (const pattern of SECRET_PATTERNS) {
      expect(copied[0]).not.toMatch(pattern);
    }

    await commands.execute(CommandIDs.downloadAudit);
    expect(downloads[0][0]).toMatch(/^trusted-identity-audit-.*\.csv$/);
    expect(downloads[0][1]).toBe('at,event\ncsv,10000\n');
    expect(downloads[0][2]).toContain('text/csv');

    const widget = new FakeWidget('aws.ipynb');
    notebooks.add(widget);
    widget.context.setKernel(new FakeKernel(K1));
    shell.activate(widget);
    expect(commands.isEnabled(CommandIDs.recheckKernel)).toBe(true);
    const before = server.requests.length;
    await commands.execute(CommandIDs.recheckKernel);
    expect(server.requests.slice(before).map(r => r.method)).toContain('POST');
    expect(model.kernel(K1)?.report?.verdict).toBe('propagated');

    await commands.execute(CommandIDs.refresh);
    expect(server.requests[server.requests.length - 2].url).toMatch(
      /identity\/check$/
    );
  });
});

describe('the command that looks CloudTrail up again', () => {
  it('asks the server with cloudtrail=1 and refreshes the panel with the answer', async () => {
    const held = deferred<void>();
    // CloudTrail asked again has not delivered this session's events yet.
    const answer = profileOnly();
    const at = todayAt(14, 5);
    answer.verification.next_lookup_at = at;
    const queries: (string | null)[] = [];
    const { model, tracker, server } = setup({
      'POST identity/check': async ({ query }) => {
        queries.push(query.get('cloudtrail'));
        await held.promise;
        return json(answer);
      }
    });
    const commands = new CommandRegistry();
    const palette = { addItem: jest.fn(() => ({ dispose: jest.fn() })) };
    addCommands({
      commands,
      model,
      tracker,
      trans,
      palette: palette as any,
      openPanel: jest.fn()
    });
    const panel = new TrustedIdentityPanel({ model, tracker, trans });
    Widget.attach(panel, document.body);
    expect(CommandIDs.verifyCloudTrail).toBe(
      'trusted-identity:verify-cloudtrail'
    );
    expect(commands.label(CommandIDs.verifyCloudTrail)).toBe(
      'Look Up CloudTrail Again'
    );
    expect(
      (palette.addItem.mock.calls as any[][]).map(([item]) => item.command)
    ).toContain(CommandIDs.verifyCloudTrail);
    expect(commands.isEnabled(CommandIDs.verifyCloudTrail)).toBe(true);

    const running = commands.execute(CommandIDs.verifyCloudTrail);
    await waitFor(() => queries.length === 1);
    // One explicit check at a time.
    expect(commands.isEnabled(CommandIDs.verifyCloudTrail)).toBe(false);
    held.resolve();
    await running;
    expect(queries).toEqual(['1']);
    const post = server.requests.find(r => r.method === 'POST')!;
    expect(post.url).toMatch(
      /\/trusted-identity\/identity\/check\?cloudtrail=1$/
    );
    expect(commands.isEnabled(CommandIDs.verifyCloudTrail)).toBe(true);
    await waitFor(() => !!panel.node.querySelector('[data-next-lookup]'));
    expect(
      panel.node
        .querySelector('[data-provenance]')
        ?.getAttribute('data-provenance')
    ).toBe('profile');

    // The plain refresh keeps a verified proof: no cloudtrail parameter.
    await commands.execute(CommandIDs.refresh);
    expect(queries).toEqual(['1', null]);
    panel.dispose();
  });
});
