/**
 * The commands plugin's activation: the commands of the extension and their
 * palette items (src/commands.ts).
 */
import { JupyterFrontEnd } from '@jupyterlab/application';

import { ICommandPalette } from '@jupyterlab/apputils';

import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { addCommands } from '../commands';

import type { TrustedIdentityModel } from '../model';

import { PANEL_ID } from '../tokens';

import type { KernelSessionTracker } from '../tracker';

import { TRANSLATION_DOMAIN } from '../translation';

/**
 * Add the commands; "open" shows the side panel when its plugin added it.
 */
export function activateCommands(
  app: JupyterFrontEnd,
  model: TrustedIdentityModel,
  tracker: KernelSessionTracker | null,
  palette: ICommandPalette | null,
  translator: ITranslator | null
): void {
  addCommands({
    commands: app.commands,
    model,
    tracker,
    trans: (translator ?? nullTranslator).load(TRANSLATION_DOMAIN),
    palette,
    openPanel: () => app.shell.activateById(PANEL_ID)
  });
}
