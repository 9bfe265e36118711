/**
 * The side panel's activation: a light shell in the left area (its tab,
 * icon and place in the layout) whose content, the panel's UI, is a chunk
 * loaded when the panel is first shown.
 */
import { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';

import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';

import { SidePanel } from '@jupyterlab/ui-components';

import { IDisposable } from '@lumino/disposable';

import { Message } from '@lumino/messaging';

import { identityIcon } from '../icons';

import type { TrustedIdentityModel } from '../model';

import { PANEL_ID } from '../tokens';

import type { KernelSessionTracker } from '../tracker';

import { TRANSLATION_DOMAIN } from '../translation';

/**
 * The rank of the panel in the left area.
 */
const PANEL_RANK = 700;

/**
 * Add the panel's shell to the left area and to the layout restorer.
 */
export function activatePanel(
  app: JupyterFrontEnd,
  model: TrustedIdentityModel,
  tracker: KernelSessionTracker | null,
  restorer: ILayoutRestorer | null,
  translator: ITranslator | null
): void {
  const panel = new PanelShell({
    app,
    model,
    tracker,
    translator: translator ?? nullTranslator
  });
  app.shell.add(panel, 'left', { rank: PANEL_RANK });
  restorer?.add(panel, PANEL_ID);
}

/**
 * The panel as the shell holds it from the start: a `SidePanel` with the
 * panel's id, icon and caption. It tells the model whether the reports are
 * shown (the poll stands by while nothing shows them) and loads its content
 * the first time it is shown.
 */
export class PanelShell extends SidePanel {
  constructor(options: PanelShell.IOptions) {
    super({ translator: options.translator });
    this._options = options;
    this.trans = options.translator.load(TRANSLATION_DOMAIN);
    this.id = PANEL_ID;
    this.addClass('jp-TrustedIdentity');
    this.title.icon = identityIcon;
    this.title.caption = this.trans.__('Trusted identity');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute(
      'aria-label',
      this.trans.__('Trusted identity panel')
    );
  }

  /**
   * Resolves once the panel's content is loaded and built (the first time
   * the panel was shown).
   */
  get loaded(): Promise<void> | null {
    return this._loaded;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._options.model.setNeeded('panel', false);
    this._filled?.dispose();
    super.dispose();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._shown(this.isVisible);
  }

  protected onBeforeDetach(msg: Message): void {
    this._shown(false);
    super.onBeforeDetach(msg);
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._shown(true);
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._shown(false);
  }

  private _shown(visible: boolean): void {
    this._options.model.setNeeded('panel', visible);
    if (visible && !this._loaded) {
      this._loaded = this._load();
    }
  }

  private async _load(): Promise<void> {
    const { app, model, tracker } = this._options;
    const { fillPanel } = await import(
      /* webpackChunkName: "lazy" */ '../panel'
    );
    if (this.isDisposed) {
      return;
    }
    this._filled = fillPanel(this, {
      model,
      tracker,
      trans: this.trans,
      commands: app.commands,
      activateWidget: id => app.shell.activateById(id)
    });
  }

  private _options: PanelShell.IOptions;
  private trans: TranslationBundle;
  private _loaded: Promise<void> | null = null;
  private _filled: IDisposable | null = null;
}

/**
 * The namespace of `PanelShell` statics.
 */
export namespace PanelShell {
  /**
   * Options of the panel's shell.
   */
  export interface IOptions {
    app: JupyterFrontEnd;
    model: TrustedIdentityModel;
    tracker: KernelSessionTracker | null;
    translator: ITranslator;
  }
}
