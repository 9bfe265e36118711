/**
 * The side panel's content (src/panel): what it shows before and with a
 * report, its sessions, the call budget, and that each section renders again
 * only when what it shows changes.
 */
import { nullTranslator } from '@jupyterlab/translation';

import { SidePanel } from '@jupyterlab/ui-components';

import { CommandRegistry } from '@lumino/commands';

import { IDisposable } from '@lumino/disposable';

import { AccordionPanel, Widget } from '@lumino/widgets';

import { addCommands } from '../commands';

import { TrustedIdentityModel } from '../model';

import { fillPanel } from '../panel';

import { Section } from '../panel/sections';

import { formatTime } from '../time';

import { CommandIDs } from '../tokens';

import { KernelSessionTracker } from '../tracker';

import { FakeKernel, FakeWidget } from './fakes';

import {
  deferred,
  flush,
  json,
  quietConsole,
  todayAt,
  waitFor
} from './helpers';

import type { IReport } from '../types';

import {
  accessGrants,
  accessTestAnswer,
  happy,
  happyKernel,
  outsideStudio,
  profileOnly,
  SECRET_PATTERNS,
  services,
  sharedSpace,
  stsThrottled
} from './reports';

import { K1, setupWorkbench } from './workbench';

const trans = nullTranslator.load('jupyterlab_trusted_identity');
const K2 = '22222222-2222-4222-8222-222222222222';

/**
 * A side panel as the start-up shell creates it, filled and attached.
 */
function showPanel(
  model: TrustedIdentityModel,
  tracker: KernelSessionTracker | null,
  options: {
    commands?: CommandRegistry;
    activateWidget?: (id: string) => void;
  } = {}
): { panel: SidePanel; content: IDisposable } {
  const panel = new SidePanel({ translator: nullTranslator });
  panel.id = 'jupyterlab-trusted-identity';
  const content = fillPanel(panel, { model, tracker, trans, ...options });
  Widget.attach(panel, document.body);
  return { panel, content };
}

/**
 * The section widgets by name.
 */
function sectionsOf(panel: SidePanel): Record<string, Section> {
  const sections: Record<string, Section> = {};
  for (const widget of panel.widgets) {
    sections[widget.node.dataset.section!] = widget as Section;
  }
  return sections;
}

quietConsole('log', 'warn');
afterEach(() => {
  document.body.innerHTML = '';
});

describe('the panel', () => {
  it('shows a reason-coded state before the report, then the report', async () => {
    const { model, tracker } = setupWorkbench();
    const { panel } = showPanel(model, tracker);
    await waitFor(() => !!panel.node.querySelector('[data-reason="loading"]'));
    expect(panel.content.isHidden).toBe(true);
    expect(panel.hasClass('jp-mod-empty')).toBe(true);
    expect(panel.header.node.textContent).toBe('Trusted identity');

    await model.refresh();
    await waitFor(
      () => !!panel.node.querySelector('[data-verdict="propagated"]')
    );
    expect(panel.content.isHidden).toBe(false);
    expect(panel.hasClass('jp-mod-empty')).toBe(false);
    // SidePanel's own accordion, one section each.
    expect(panel.content).toBeInstanceOf(AccordionPanel);
    expect(panel.widgets.map(s => s.title.label)).toEqual([
      'Identity',
      'Sessions',
      'Checks',
      'Studio space',
      'Services and limits'
    ]);
    for (const section of panel.widgets) {
      expect(section.node.getAttribute('role')).toBe('region');
      expect(section.node.getAttribute('aria-label')).toBe(section.title.label);
    }
    // Services and limits start folded.
    const titles = (panel.content as AccordionPanel).titles;
    expect(titles.map(t => t.getAttribute('aria-expanded'))).toEqual([
      'true',
      'true',
      'true',
      'true',
      'false'
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
    const { model, tracker } = setupWorkbench({
      'GET version': () => new Response('', { status: 404 })
    });
    const { panel } = showPanel(model, tracker);
    await model.refresh();
    await waitFor(
      () => !!panel.node.querySelector('[data-reason="server-missing"]')
    );
    expect(panel.content.isHidden).toBe(true);
    expect(panel.hasClass('jp-mod-empty')).toBe(true);
    panel.dispose();
  });

  it('puts the commands in its toolbar, refresh first', async () => {
    const { model, tracker } = setupWorkbench();
    const commands = new CommandRegistry();
    addCommands({ commands, model, tracker, trans, openPanel: jest.fn() });
    const { panel } = showPanel(model, tracker, { commands });
    const names = Array.from(panel.toolbar.names());
    expect(names).toEqual(['refresh', 'copy-summary', 'download-audit']);
    expect(panel.toolbar.node.getAttribute('aria-label')).toBe(
      'Trusted identity actions'
    );
    panel.dispose();
  });

  it('applies the expiry warning setting live', async () => {
    const report = happy();
    report.credentials.expires_at = new Date(
      Date.now() + 10 * 60_000
    ).toISOString();
    const { model, tracker } = setupWorkbench({
      'POST identity/check': () => json(report)
    });
    const { panel } = showPanel(model, tracker);
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
    const { model, tracker, notebooks, shell } = setupWorkbench({
      'GET kernels': () =>
        json({ kernels: [happyKernel(K2, { session_path: 'other.ipynb' })] })
    });
    const activated: string[] = [];
    const rechecked: string[] = [];
    const commands = new CommandRegistry();
    commands.addCommand(CommandIDs.recheckKernel, {
      execute: args => {
        rechecked.push(String(args.kernelId));
      }
    });
    const { panel } = showPanel(model, tracker, {
      commands,
      activateWidget: id => activated.push(id)
    });
    await model.refresh();
    const widget = new FakeWidget('work/aws.ipynb');
    notebooks.add(widget);
    widget.context.setKernel(new FakeKernel(K1));
    widget.context.setStatus('idle');
    shell.activate(widget);
    await flush();
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

  it('renders a section again only when what it shows changes', async () => {
    let answer = happy();
    const { model, tracker } = setupWorkbench({
      'POST identity/check': () => json(answer)
    });
    const { panel } = showPanel(model, tracker);
    await model.refresh();
    await waitFor(() => !!panel.node.querySelector('[data-check-id]'));
    const sections = sectionsOf(panel);
    const banner = panel.node.querySelector('.jp-TrustedIdentity-bannerArea');
    expect(banner).not.toBeNull();
    const updates: Record<string, jest.SpyInstance> = {};
    for (const [name, section] of Object.entries(sections)) {
      updates[name] = jest.spyOn(section.body, 'update');
    }
    const rendered = () =>
      Object.entries(updates)
        .filter(([, spy]) => spy.mock.calls.length > 0)
        .map(([name]) => name)
        .sort();
    const reset = () => Object.values(updates).forEach(spy => spy.mockClear());

    // A setting only the identity section reads.
    model.applySettings({ expiryWarningMinutes: 5 });
    expect(rendered()).toEqual(['identity']);

    // The same report again: nothing a section shows changed.
    reset();
    await model.refresh();
    expect(rendered()).toEqual([]);

    // Another report: the sections that show it, not the folded one.
    reset();
    answer = sharedSpace();
    await model.refresh();
    expect(rendered()).toEqual(['checks', 'identity', 'studio']);
    await waitFor(
      () =>
        panel.node
          .querySelector('[data-check-id="studio.space_private"]')
          ?.getAttribute('data-status') === 'fail'
    );

    // The folded section did not render while folded (it was last drawn
    // before the first report); it catches up when unfolded.
    reset();
    const content = panel.content as AccordionPanel;
    const notes = panel.widgets.indexOf(sections.notes);
    content.expand(notes);
    expect(rendered()).toEqual(['notes']);
    await waitFor(() => !!panel.node.querySelector('[data-service]'));
    // Folded and unfolded again without a change: no render.
    reset();
    content.collapse(notes);
    content.expand(notes);
    expect(rendered()).toEqual([]);
    panel.dispose();
  });

  it('removes what it added when its content is disposed', async () => {
    const { model, tracker } = setupWorkbench();
    const { panel, content } = showPanel(model, tracker);
    expect(panel.widgets).toHaveLength(5);
    content.dispose();
    expect(panel.widgets).toHaveLength(0);
    expect(panel.node.querySelector('.jp-TrustedIdentity-bannerArea')).toBe(
      null
    );
    // The model no longer reaches the panel.
    await model.refresh();
    expect(panel.hasClass('jp-mod-empty')).toBe(true);
    panel.dispose();
  });
});

describe('the call budget in the panel', () => {
  it('notes that AWS throttles, while the space report says so', async () => {
    let answer = stsThrottled();
    const { model, tracker } = setupWorkbench({
      'POST identity/check': () => json(answer)
    });
    const { panel } = showPanel(model, tracker);
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
    const { model, tracker } = setupWorkbench({
      'POST identity/check': () => json(report)
    });
    const { panel } = showPanel(model, tracker);
    await model.refresh();
    const note = () => panel.node.querySelector('[data-next-lookup]');
    await waitFor(() => !!note());
    expect(note()!.textContent).toBe(
      `CloudTrail is asked again at ${formatTime(at)}.`
    );
    panel.dispose();
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
    const { model, tracker, server } = setupWorkbench({
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
    const { panel } = showPanel(model, tracker, { commands });
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

/**
 * Type into an input as React sees it (its value setter, then `input`).
 */
function typeInto(input: HTMLInputElement, value: string): void {
  Object.getOwnPropertyDescriptor(
    HTMLInputElement.prototype,
    'value'
  )!.set!.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('the services section: S3 Access Grants and the other services’ integrations', () => {
  /**
   * The panel on a space whose report reads S3 Access Grants, with the
   * services section unfolded.
   */
  async function showServices(report: IReport) {
    const { server, model } = setupWorkbench({
      'GET identity': () => json(report),
      'POST identity/check': () => json(report),
      'POST access-test': () => json(accessTestAnswer('allowed'))
    });
    const { panel } = showPanel(model, null);
    await model.refresh();
    const sections = sectionsOf(panel);
    const shownAtFirst = sections.notes.body.isVisible;
    (panel.content as AccordionPanel).expand(
      panel.widgets.indexOf(sections.notes)
    );
    const node = sections.notes.node;
    await waitFor(() => !!node.querySelector('[data-service]'));
    return { server, model, panel, node, shownAtFirst };
  }

  it('stays folded; shows the grants; tests access through the model on Test only', async () => {
    const { server, model, panel, node, shownAtFirst } = await showServices(
      accessGrants('user_and_group')
    );
    expect(shownAtFirst).toBe(false);
    expect(node.querySelectorAll('[data-part="grants"] tbody tr')).toHaveLength(
      3
    );
    // Nothing asks S3 Access Grants for data access before the user does.
    const tests = () =>
      server.requests.filter(r => r.url.endsWith('/access-test'));
    expect(tests()).toEqual([]);

    const input = node.querySelector(
      '.jp-TrustedIdentity-accessTestForm input'
    ) as HTMLInputElement;
    typeInto(input, 's3://amzn-s3-demo-bucket/users/jdoe/data.csv');
    (
      node.querySelector(
        '.jp-TrustedIdentity-accessTestForm button'
      ) as HTMLButtonElement
    ).click();
    await waitFor(() => !!node.querySelector('[data-status="allowed"]'));
    expect(tests()).toHaveLength(1);
    expect(tests()[0].method).toBe('POST');
    expect(JSON.parse(tests()[0].body)).toEqual({
      target: 's3://amzn-s3-demo-bucket/users/jdoe/data.csv',
      permission: 'READ'
    });

    // A new report with the same services keeps the answer and the input.
    await model.refresh();
    await flush();
    expect(node.querySelector('[data-status="allowed"]')).not.toBeNull();
    expect(input.value).toBe('s3://amzn-s3-demo-bucket/users/jdoe/data.csv');
    expect(tests()).toHaveLength(1);
    panel.dispose();
  });

  it('renders again when S3 Access Grants’ state changes', async () => {
    let report = accessGrants('user_and_group');
    const { server, model, panel, node } = await showServices(report);
    server.routes['POST identity/check'] = () => json(report);
    report = accessGrants('other_instance');
    await model.refresh();
    await waitFor(
      () =>
        node
          .querySelector('[data-part="integration"]')
          ?.getAttribute('data-state') === 'other_instance'
    );
    expect(node.querySelector('[data-part="grants"] tbody')).toBeNull();
    panel.dispose();
  });

  it('follows S3 Access Grants with every other service whose integration the server read', async () => {
    let report = services('happy');
    const { server, model, panel, node } = await showServices(report);
    // Every service keeps its row in the list.
    expect(
      Array.from(node.querySelectorAll('[data-service]')).map(li =>
        li.getAttribute('data-service')
      )
    ).toEqual(report.connected_services.map(service => service.id));
    const details = () =>
      Array.from(node.querySelectorAll('[data-service-details]')).map(
        section => [
          section.getAttribute('data-service-details'),
          section
            .querySelector('[data-part="integration"]')
            ?.getAttribute('data-state')
        ]
      );
    expect(details()).toEqual([
      ['s3-access-grants', 'ready'],
      ...report.connected_services
        .filter(s => s.integration && s.id !== 's3-access-grants')
        .map(s => [s.id, 'ready'])
    ]);
    expect(details()).toHaveLength(6);
    expect(
      node.querySelector(
        '[data-service-details="athena"] tr[data-resource="tip-analysts"]'
      )
    ).not.toBeNull();

    server.routes['POST identity/check'] = () => json(report);
    report = services('denied');
    await model.refresh();
    await waitFor(
      () =>
        node
          .querySelector('[data-service-details="glue"] [data-part]')
          ?.getAttribute('data-state') === 'unknown'
    );
    expect(
      node.querySelector('[data-service-details="glue"] [data-iam-action] code')
        ?.textContent
    ).toBe('glue:GetGlueIdentityCenterConfiguration');
    panel.dispose();
  });

  it('offers no test when the server read nothing of S3 Access Grants', async () => {
    const { panel, node } = await showServices(outsideStudio());
    expect(node.querySelector('.jp-TrustedIdentity-accessTestForm')).toBeNull();
    expect(node.querySelector('[data-part]')).toBeNull();
    panel.dispose();
  });
});
