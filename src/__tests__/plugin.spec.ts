import { Notification } from '@jupyterlab/apputils';

import { CommandRegistry } from '@lumino/commands';

import { Signal } from '@lumino/signaling';

import plugin, { PLUGIN_ID } from '../index';

import { ITrustedIdentityModel } from '../tokens';

import { FakeShell, FakeTracker } from './fakes';

import {
  json,
  quietConsole,
  routedServer,
  versionRoute,
  waitFor
} from './helpers';

import { happy, rateLimited } from './reports';

/**
 * Fake settings whose `changed` the test fires.
 */
class FakeSettings {
  composite: Record<string, unknown> = {};
  changed = new Signal<this, void>(this);
  set = jest.fn(async (key: string, value: unknown) => {
    this.composite = { ...this.composite, [key]: value };
    this.changed.emit();
  });
}

describe('the plugin', () => {
  quietConsole('log');
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('wires the panel, restorer, status bar, commands and live settings', async () => {
    const server = routedServer({
      'GET version': versionRoute(),
      'GET identity': () => json(happy()),
      'GET kernels': () => json({ kernels: [] })
    });
    const shell = new FakeShell();
    const added: { widget: any; area: string }[] = [];
    const app: any = {
      commands: new CommandRegistry(),
      restored: Promise.resolve(),
      serviceManager: {
        serverSettings: server.settings,
        connectionFailure: new Signal<any, Error>({})
      },
      shell: {
        add: (widget: any, area: string) => added.push({ widget, area }),
        activateById: jest.fn()
      }
    };
    const restorer = { add: jest.fn() };
    const items: Record<string, any> = {};
    const statusBar = {
      registerStatusItem: (id: string, item: any) => {
        items[id] = item;
      }
    };
    const palette = { addItem: jest.fn(() => ({ dispose: jest.fn() })) };
    const settings = new FakeSettings();
    const registry = { load: jest.fn(async () => settings) };
    const notebooks = new FakeTracker();

    expect(plugin.id).toBe(PLUGIN_ID);
    expect(plugin.autoStart).toBe(true);
    expect(plugin.requires ?? []).toEqual([]);
    // Other extensions read the reports through the model's token.
    expect(plugin.provides).toBe(ITrustedIdentityModel);
    const provided = plugin.activate(
      app,
      shell,
      restorer,
      notebooks,
      null,
      statusBar,
      palette,
      registry,
      null
    ) as ITrustedIdentityModel;

    // The panel in the left area, restored with the layout.
    expect(added).toHaveLength(1);
    expect(added[0].area).toBe('left');
    expect(added[0].widget.id).toBe('jupyterlab-trusted-identity');
    expect(restorer.add).toHaveBeenCalledWith(
      added[0].widget,
      'jupyterlab-trusted-identity'
    );
    // The commands, in the palette.
    for (const id of [
      'trusted-identity:open',
      'trusted-identity:refresh',
      'trusted-identity:verify-cloudtrail',
      'trusted-identity:recheck-kernel',
      'trusted-identity:copy-summary',
      'trusted-identity:download-audit'
    ]) {
      expect(app.commands.hasCommand(id)).toBe(true);
    }
    expect(palette.addItem).toHaveBeenCalledTimes(6);
    expect(
      (palette.addItem.mock.calls as any[][]).every(
        ([item]) => item.category === 'Trusted Identity'
      )
    ).toBe(true);

    // The status bar item, shown by default; the setting hides it live.
    const item = items[`${PLUGIN_ID}:status`];
    expect(item.align).toBe('left');
    expect(item.isActive()).toBe(true);
    await waitFor(() => registry.load.mock.calls.length > 0);
    await Promise.resolve();
    const activeChanged = jest.fn();
    item.activeStateChanged.connect(activeChanged);
    await settings.set('showStatusBarItem', false);
    expect(item.isActive()).toBe(false);
    expect(activeChanged).toHaveBeenCalledTimes(1);
    await settings.set('showStatusBarItem', true);
    expect(item.isActive()).toBe(true);

    // The first report arrives through the poll (handshake first).
    await waitFor(
      () =>
        server.requests.some(r => r.url.endsWith('/trusted-identity/identity')),
      5000
    );
    await waitFor(() => provided.report !== null, 5000);
    expect(provided.state).toBe('ready');
    expect(provided.report?.user.shown_name).toBe('Jane Doe');
    await app.commands.execute('trusted-identity:open');
    expect(app.shell.activateById).toHaveBeenCalledWith(
      'jupyterlab-trusted-identity'
    );
    added[0].widget.dispose();
  });

  it("tells the user when the panel's check was rate limited", async () => {
    const server = routedServer({
      'GET version': versionRoute(),
      'GET identity': () => json(happy()),
      'POST identity/check': () => json(rateLimited(happy(), 21)),
      'GET kernels': () => json({ kernels: [] })
    });
    const added: any[] = [];
    const app: any = {
      commands: new CommandRegistry(),
      restored: Promise.resolve(),
      serviceManager: { serverSettings: server.settings },
      shell: {
        add: (widget: any) => added.push(widget),
        activateById: jest.fn()
      }
    };
    plugin.activate(app, null, null, null, null, null, null, null, null);
    // The panel's toolbar button runs this command.
    await app.commands.execute('trusted-identity:refresh');
    const shown = Notification.manager.notifications.filter(n =>
      n.message.includes('again in 21 seconds')
    );
    expect(shown).toHaveLength(1);
    expect(shown[0].type).toBe('info');
    Notification.manager.dismiss();
    added[0].dispose();
  });
});
