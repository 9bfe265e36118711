/**
 * The plugins of the extension, each of which a user can disable: the model,
 * the kernel hook, the side panel, the status bar item and the commands.
 * Their activation lives in src/plugins/; this module only declares them.
 * Everything they import statically loads at start-up; the panel's UI loads
 * when the panel is first shown. Every dynamic import names the same chunk
 * (webpackChunkName "lazy"): the panel, and what is rarely needed (the
 * notifications and their words: notices.ts; the kernel probe, the clipboard
 * summary, the audit download) share one file, so the words and helpers they
 * have in common are bundled once and the file compresses as one.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

import { ICommandPalette } from '@jupyterlab/apputils';

import { IConsoleTracker } from '@jupyterlab/console';

import { INotebookTracker } from '@jupyterlab/notebook';

import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { IStatusBar } from '@jupyterlab/statusbar';

import { ITranslator } from '@jupyterlab/translation';

import { activateCommands } from './plugins/commands';

import { activateKernelHook } from './plugins/kernels';

import { activateModel, PLUGIN_ID } from './plugins/model';

import { activatePanel } from './plugins/panel';

import { activateStatusBar } from './plugins/statusbar';

import { IKernelSessionTracker, ITrustedIdentityModel } from './tokens';

// What other extensions may import: the command ids and the tokens.
export * from './tokens';

export { PLUGIN_ID };

/**
 * The model: the reports of the space and its kernels, polled while shown;
 * the settings (schema/plugin.json, keyed by this plugin's id) applied live;
 * the version handshake's and the rate limit's notifications. Other
 * extensions may read the reports through its token.
 */
const modelPlugin: JupyterFrontEndPlugin<ITrustedIdentityModel> = {
  id: PLUGIN_ID,
  description:
    "Shows whether SageMaker Studio propagates the user's IAM Identity Center identity to the AWS sessions of the space and its kernels.",
  autoStart: true,
  provides: ITrustedIdentityModel,
  optional: [ISettingRegistry, ITranslator],
  activate: activateModel
};

/**
 * The kernel hook: checks every notebook and console kernel when it starts
 * and notifies when it runs without the propagated identity.
 */
const kernelsPlugin: JupyterFrontEndPlugin<IKernelSessionTracker> = {
  id: 'jupyterlab-trusted-identity:kernels',
  description:
    'Checks the identity of every notebook and console kernel when it starts, and notifies when it is not propagated.',
  autoStart: true,
  requires: [ITrustedIdentityModel],
  optional: [
    ILabShell,
    INotebookTracker,
    IConsoleTracker,
    ISettingRegistry,
    ITranslator
  ],
  provides: IKernelSessionTracker,
  activate: activateKernelHook
};

/**
 * The side panel: the reports of the space and its kernels.
 */
const panelPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-trusted-identity:panel',
  description:
    'The Trusted identity side panel: the verdict, the identity, the sessions and the checks.',
  autoStart: true,
  requires: [ITrustedIdentityModel],
  optional: [IKernelSessionTracker, ILayoutRestorer, ITranslator],
  activate: activatePanel
};

/**
 * The status bar item: the current notebook's identity.
 */
const statusBarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-trusted-identity:status-bar',
  description:
    "The status bar item: the identity of the current notebook's kernel, or of the space.",
  autoStart: true,
  requires: [ITrustedIdentityModel, IStatusBar],
  optional: [IKernelSessionTracker, ITranslator],
  activate: activateStatusBar
};

/**
 * The commands and their palette items.
 */
const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-trusted-identity:commands',
  description:
    'The commands: open the panel, refresh, re-check a kernel, look CloudTrail up again, copy the summary, download the audit trail.',
  autoStart: true,
  requires: [ITrustedIdentityModel],
  optional: [IKernelSessionTracker, ICommandPalette, ITranslator],
  activate: activateCommands
};

const plugins: JupyterFrontEndPlugin<any>[] = [
  modelPlugin,
  kernelsPlugin,
  panelPlugin,
  statusBarPlugin,
  commandsPlugin
];

export default plugins;
