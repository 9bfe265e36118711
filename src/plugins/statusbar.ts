/**
 * The status bar item's activation: the current notebook's (or the
 * space's) identity, shown while the setting says so; a click opens the
 * panel.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';

import { IStatusBar } from '@jupyterlab/statusbar';

import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { Signal } from '@lumino/signaling';

import type { TrustedIdentityModel } from '../model';

import { PANEL_ID } from '../tokens';

import type { KernelSessionTracker } from '../tracker';

import { TRANSLATION_DOMAIN } from '../translation';

import { IdentityStatusItem } from '../statusbar';

import { PLUGIN_ID } from './model';

/**
 * The id of the status bar item.
 */
export const STATUS_ITEM_ID = `${PLUGIN_ID}:status`;

/**
 * Register the status bar item; the model polls for it while it is shown.
 */
export function activateStatusBar(
  app: JupyterFrontEnd,
  model: TrustedIdentityModel,
  statusBar: IStatusBar,
  tracker: KernelSessionTracker | null,
  translator: ITranslator | null
): void {
  const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
  const item = new IdentityStatusItem({
    model,
    tracker,
    trans,
    onClick: () => app.shell.activateById(PANEL_ID)
  });
  const activeStateChanged = new Signal<IdentityStatusItem, void>(item);
  let shown = model.settings.showStatusBarItem;
  model.setNeeded('status', shown);
  model.changed.connect((_, change) => {
    if (change === 'settings' && model.settings.showStatusBarItem !== shown) {
      shown = model.settings.showStatusBarItem;
      model.setNeeded('status', shown);
      activeStateChanged.emit();
    }
  });
  statusBar.registerStatusItem(STATUS_ITEM_ID, {
    item,
    align: 'left',
    rank: 5,
    isActive: () => model.settings.showStatusBarItem,
    activeStateChanged
  });
}
