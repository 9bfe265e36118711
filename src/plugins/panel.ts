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

import { Message } from '@lumino/messaging';

import { PanelLayout } from '@lumino/widgets';

import { identityIcon } from '../icons';

import type { TrustedIdentityModel } from '../model';

import { CommandIDs, PANEL_ID } from '../tokens';

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
    const { app, model, tracker, translator } = this._options;
    // Until src/panel/ lands: the whole panel, nested in the shell.
    const { TrustedIdentityPanel } = await import('../widgets');
    if (this.isDisposed) {
      return;
    }
    const inner = new TrustedIdentityPanel({
      model,
      tracker,
      trans: this.trans,
      translator,
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
    inner.id = '';
    this.header.hide();
    this.toolbar.hide();
    this.content.hide();
    (this.layout as PanelLayout).addWidget(inner);
  }

  private _options: PanelShell.IOptions;
  private trans: TranslationBundle;
  private _loaded: Promise<void> | null = null;
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
