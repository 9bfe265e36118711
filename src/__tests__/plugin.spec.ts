import { Notification } from '@jupyterlab/apputils';

import { CommandRegistry } from '@lumino/commands';

import { Signal } from '@lumino/signaling';

import { Widget } from '@lumino/widgets';

import plugins, { PLUGIN_ID } from '../index';

import { IKernelSessionTracker, ITrustedIdentityModel } from '../tokens';

import { FakeShell, FakeTracker } from './fakes';

import {
  flush,
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

/**
 * The plugin of an id.
 */
function pluginOf(id: string) {
  const found = plugins.find(plugin => plugin.id === id);
  if (!found) {
    throw new Error(`no plugin ${id}`);
  }
  return found;
}

/**
 * An application with the server's settings and a shell that records what
 * is added.
 */
function fakeApp(settings: any) {
  const added: { widget: any; area: string }[] = [];
  const app: any = {
    commands: new CommandRegistry(),
    restored: Promise.resolve(),
    serviceManager: {
      serverSettings: settings,
      connectionFailure: new Signal<any, Error>({})
    },
    shell: {
      add: (widget: any, area: string) => added.push({ widget, area }),
      activateById: jest.fn()
    }
  };
  return { app, added };
}

describe('the plugins', () => {
  quietConsole('log');
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('are five, each of which a user can disable', () => {
    expect(plugins.map(plugin => plugin.id)).toEqual([
      PLUGIN_ID,
      'jupyterlab-trusted-identity:kernels',
      'jupyterlab-trusted-identity:panel',
      'jupyterlab-trusted-identity:status-bar',
      'jupyterlab-trusted-identity:commands'
    ]);
    expect(PLUGIN_ID).toBe('jupyterlab-trusted-identity:plugin');
    for (const plugin of plugins) {
      expect(plugin.autoStart).toBe(true);
      expect(plugin.description).toBeTruthy();
    }
    // The model needs nothing; other extensions read it through its token.
    const model = pluginOf(PLUGIN_ID);
    expect(model.requires ?? []).toEqual([]);
    expect(model.provides).toBe(ITrustedIdentityModel);
    // The kernel hook provides the tracker; the others only need the model.
    expect(pluginOf('jupyterlab-trusted-identity:kernels').provides).toBe(
      IKernelSessionTracker
    );
    for (const id of ['panel', 'status-bar', 'commands']) {
      const plugin = pluginOf(`jupyterlab-trusted-identity:${id}`);
      expect(plugin.requires?.[0]).toBe(ITrustedIdentityModel);
      expect(plugin.optional).toContain(IKernelSessionTracker);
    }
  });

  it('wire the panel, restorer, status bar, commands and live settings', async () => {
    const server = routedServer({
      'GET version': versionRoute(),
      'GET identity': () => json(happy()),
      'GET kernels': () => json({ kernels: [] })
    });
    const { app, added } = fakeApp(server.settings);
    const shell = new FakeShell();
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

    // In the order JupyterLab resolves them: requires, then optional.
    const provided = pluginOf(PLUGIN_ID).activate(
      app,
      registry,
      null
    ) as ITrustedIdentityModel;
    const tracker = pluginOf('jupyterlab-trusted-identity:kernels').activate(
      app,
      provided,
      shell,
      notebooks,
      null,
      registry,
      null
    );
    pluginOf('jupyterlab-trusted-identity:panel').activate(
      app,
      provided,
      tracker,
      restorer,
      null
    );
    pluginOf('jupyterlab-trusted-identity:status-bar').activate(
      app,
      provided,
      statusBar,
      tracker,
      null
    );
    pluginOf('jupyterlab-trusted-identity:commands').activate(
      app,
      provided,
      tracker,
      palette,
      null
    );

    // The panel in the left area, restored with the layout.
    expect(added).toHaveLength(1);
    expect(added[0].area).toBe('left');
    const panel = added[0].widget;
    expect(panel.id).toBe('jupyterlab-trusted-identity');
    expect(restorer.add).toHaveBeenCalledWith(
      panel,
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
    // So does a click on the status bar item.
    app.shell.activateById.mockClear();
    Widget.attach(item.item, document.body);
    item.item.update();
    await waitFor(
      () => !!item.item.node.querySelector('.jp-TrustedIdentity-statusButton')
    );
    (
      item.item.node.querySelector(
        '.jp-TrustedIdentity-statusButton'
      ) as HTMLElement
    ).click();
    expect(app.shell.activateById).toHaveBeenCalledWith(
      'jupyterlab-trusted-identity'
    );
    panel.dispose();
    item.item.dispose();
  });

  it("load the panel's content when the panel is first shown", async () => {
    const server = routedServer({
      'GET version': versionRoute(),
      'GET identity': () => json(happy()),
      'GET kernels': () => json({ kernels: [] })
    });
    const { app, added } = fakeApp(server.settings);
    const model = pluginOf(PLUGIN_ID).activate(app, null, null) as any;
    pluginOf('jupyterlab-trusted-identity:panel').activate(
      app,
      model,
      null,
      null,
      null
    );
    const panel = added[0].widget;
    await waitFor(() => model.report !== null, 5000);
    // Not shown yet: an empty shell with the panel's tab, and no poll for it.
    expect(panel.title.caption).toBe('Trusted identity');
    expect(panel.title.icon).toBeTruthy();
    expect(panel.loaded).toBeNull();
    expect(panel.node.textContent).not.toContain('Jane Doe');
    expect(model.needed).toBe(false);

    // Shown: the content loads and shows the report; the model knows it.
    Widget.attach(panel, document.body);
    expect(model.needed).toBe(true);
    expect(panel.loaded).not.toBeNull();
    await panel.loaded;
    await waitFor(() => (panel.node.textContent ?? '').includes('Jane Doe'));
    panel.hide();
    expect(model.needed).toBe(false);
    panel.dispose();
    model.dispose();
  });

  it("tell the user when the panel's check was rate limited", async () => {
    const server = routedServer({
      'GET version': versionRoute(),
      'GET identity': () => json(happy()),
      'POST identity/check': () => json(rateLimited(happy(), 21)),
      'GET kernels': () => json({ kernels: [] })
    });
    const { app } = fakeApp(server.settings);
    const model = pluginOf(PLUGIN_ID).activate(app, null, null);
    pluginOf('jupyterlab-trusted-identity:commands').activate(
      app,
      model,
      null,
      null,
      null
    );
    // The panel's toolbar button runs this command.
    await app.commands.execute('trusted-identity:refresh');
    await flush();
    const shown = Notification.manager.notifications.filter(n =>
      n.message.includes('again in 21 seconds')
    );
    expect(shown).toHaveLength(1);
    expect(shown[0].type).toBe('info');
    Notification.manager.dismiss();
    (model as any).dispose();
  });
});
