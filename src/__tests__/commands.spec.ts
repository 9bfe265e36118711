/**
 * The commands (commands.ts) on a real model and tracker: copying the
 * summary without secrets, downloading the audit, re-checking a kernel.
 * (The command that looks CloudTrail up again is in panel.spec.ts, with the
 * panel it refreshes.)
 */
import { nullTranslator } from '@jupyterlab/translation';

import { CommandRegistry } from '@lumino/commands';

import { addCommands } from '../commands';

import { CommandIDs } from '../tokens';

import { FakeKernel, FakeWidget } from './fakes';

import { quietConsole } from './helpers';

import { SECRET_PATTERNS } from './reports';

import { K1, setupWorkbench } from './workbench';

const trans = nullTranslator.load('jupyterlab_trusted_identity');

quietConsole('log', 'warn');

describe('commands', () => {
  it('copies a summary without secrets, downloads the audit, re-checks', async () => {
    const { model, tracker, notebooks, shell, server } = setupWorkbench({
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
