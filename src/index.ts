import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

import {
  Dialog,
  ICommandPalette,
  Notification,
  showDialog
} from '@jupyterlab/apputils';

import { IConsoleTracker } from '@jupyterlab/console';

import { INotebookTracker } from '@jupyterlab/notebook';

import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { IStatusBar } from '@jupyterlab/statusbar';

import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { Signal } from '@lumino/signaling';

import { TrustedIdentityAPI } from './api';

// eslint-disable-next-line jupyter/prefer-lazy-imports -- activation needs it at once
import { addCommands } from './commands';

// eslint-disable-next-line jupyter/prefer-lazy-imports -- activation needs it at once
import { notificationText, TRANSLATION_DOMAIN } from './format';

// eslint-disable-next-line jupyter/prefer-lazy-imports -- activation needs it at once
import { TrustedIdentityModel } from './model';

// eslint-disable-next-line jupyter/prefer-lazy-imports -- activation needs it at once
import { notifyRateLimited } from './notifications';

import { probeKernel } from './probe';

import { CommandIDs, ITrustedIdentityModel } from './tokens';

// eslint-disable-next-line jupyter/prefer-lazy-imports -- activation needs it at once
import { IWidgetTrackerLike, KernelSessionTracker } from './tracker';

// eslint-disable-next-line jupyter/prefer-lazy-imports -- activation needs it at once
import { IdentityStatusItem, PANEL_ID, TrustedIdentityPanel } from './widgets';

// What other extensions may import: the command ids and the model's token.
export * from './tokens';

/**
 * The plugin id; also the id of its settings schema (schema/plugin.json).
 */
export const PLUGIN_ID = 'jupyterlab-trusted-identity:plugin';

/**
 * The rank of the panel in the left area.
 */
const PANEL_RANK = 700;

/**
 * Shows whether SageMaker Studio's trusted identity propagation carries the
 * user's IAM Identity Center identity to AWS, for the server and for every
 * notebook and console kernel: a sidebar panel, a status bar item, a
 * kernel-launch hook with notifications, and commands. Other extensions may
 * read its reports through the `ITrustedIdentityModel` token.
 */
const plugin: JupyterFrontEndPlugin<ITrustedIdentityModel> = {
  id: PLUGIN_ID,
  description:
    "Shows whether SageMaker Studio propagates the user's IAM Identity Center identity to the AWS sessions of the space and its kernels.",
  autoStart: true,
  provides: ITrustedIdentityModel,
  optional: [
    ILabShell,
    ILayoutRestorer,
    INotebookTracker,
    IConsoleTracker,
    IStatusBar,
    ICommandPalette,
    ISettingRegistry,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null,
    notebooks: INotebookTracker | null,
    consoles: IConsoleTracker | null,
    statusBar: IStatusBar | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null
  ): ITrustedIdentityModel => {
    const translator_ = translator ?? nullTranslator;
    const trans = translator_.load(TRANSLATION_DOMAIN);

    const model = new TrustedIdentityModel({
      api: new TrustedIdentityAPI({
        serverSettings: app.serviceManager.serverSettings
      })
    });

    // The version handshake: one clear message (and the panel's empty state).
    model.handshakeFailed.connect((_, result) => {
      if (result.ok) {
        return;
      }
      void import('./version').then(({ notificationSummary }) =>
        Notification.warning(notificationSummary(result, trans), {
          autoClose: false,
          actions: [
            {
              label: trans.__('Details'),
              callback: () => {
                void showDialog({
                  title: trans.__('Trusted identity: server extension'),
                  body: result.message,
                  buttons: [Dialog.okButton()]
                });
              }
            }
          ]
        })
      );
    });
    // An explicit check the server rate-limited: say so (info, not an error).
    notifyRateLimited(model, trans);
    app.serviceManager.connectionFailure?.connect(() => {
      model.noteConnectionLost();
    });

    let settings: ISettingRegistry.ISettings | null = null;
    let panel: TrustedIdentityPanel | null = null;
    const openPanel = () => {
      if (!panel) {
        return;
      }
      if (!panel.isAttached) {
        app.shell.add(panel, 'left', { rank: PANEL_RANK });
      }
      app.shell.activateById(panel.id);
    };

    const tracker =
      notebooks || consoles
        ? new KernelSessionTracker({
            model,
            notebooks: notebooks as unknown as IWidgetTrackerLike | null,
            consoles: consoles as unknown as IWidgetTrackerLike | null,
            shell: labShell,
            probe: kernel => probeKernel(kernel),
            notify: (report, session) => {
              Notification.warning(
                notificationText(report, session?.name ?? null, trans),
                {
                  autoClose: 15000,
                  actions: [
                    {
                      label: trans.__('Open panel'),
                      caption: trans.__('Open the Trusted identity panel'),
                      displayType: 'accent',
                      callback: openPanel
                    },
                    {
                      label: trans.__("Don't notify again"),
                      caption: trans.__(
                        'Turn off the setting "Notify when the identity is not propagated"'
                      ),
                      callback: () => {
                        void settings?.set('notifyWhenNotPropagated', false);
                      }
                    }
                  ]
                }
              );
            }
          })
        : null;

    addCommands({
      commands: app.commands,
      model,
      tracker,
      trans,
      palette,
      openPanel
    });

    panel = new TrustedIdentityPanel({
      model,
      tracker,
      trans,
      translator: translator_,
      commands: app.commands,
      onActivate: row => {
        const session = tracker?.findByWidgetId(row.key);
        if (session) {
          app.shell.activateById(session.widget.id);
        }
      },
      onRecheck: row => {
        if (row.kernelId) {
          void app.commands.execute(CommandIDs.recheckKernel, {
            kernelId: row.kernelId
          });
        }
      }
    });
    app.shell.add(panel, 'left', { rank: PANEL_RANK });
    restorer?.add(panel, PANEL_ID);

    if (statusBar) {
      const item = new IdentityStatusItem({
        model,
        tracker,
        trans,
        onClick: openPanel
      });
      const activeStateChanged = new Signal<IdentityStatusItem, void>(item);
      let shown = model.settings.showStatusBarItem;
      model.setNeeded('status', shown);
      model.changed.connect((_, change) => {
        if (
          change === 'settings' &&
          model.settings.showStatusBarItem !== shown
        ) {
          shown = model.settings.showStatusBarItem;
          model.setNeeded('status', shown);
          activeStateChanged.emit();
        }
      });
      statusBar.registerStatusItem(`${PLUGIN_ID}:status`, {
        item,
        align: 'left',
        rank: 5,
        isActive: () => model.settings.showStatusBarItem,
        activeStateChanged
      });
    }

    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN_ID)
        .then(loaded => {
          settings = loaded;
          model.applySettings(loaded.composite as Record<string, unknown>);
          loaded.changed.connect(() => {
            model.applySettings(loaded.composite as Record<string, unknown>);
          });
        })
        .catch(reason => {
          console.error(
            'jupyterlab-trusted-identity: failed to load the settings.',
            reason
          );
        });
    }

    // Not awaited: the first tick runs the handshake without delaying the
    // application start.
    void app.restored.then(() => model.start());
    return model;
  }
};

export default plugin;
