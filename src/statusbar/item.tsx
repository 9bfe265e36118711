/**
 * The status bar item: the current notebook's identity (the user's short
 * name or the verdict, with a verdict icon), the summary as its tooltip; a
 * click (or Enter, Space) opens the panel. Loaded at start-up: it imports
 * nothing of the panel. Its styles (the item, the status icons, also used by
 * the panel) are added when it loads.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import * as React from 'react';

import baseStyles from '../../style/base.raw.css';

import { StatusIcon } from '../components/StatusIcon';

import { addStyleSheet } from '../styleSheet';

import type { ITrustedIdentityModel } from '../tokens';

import type { KernelSessionTracker } from '../tracker';

import { IViewTrigger, modelChanges, ViewWidget } from '../viewWidget';

import { IStatusView, statusView } from './view';

addStyleSheet(baseStyles);

/**
 * The button of the status bar item.
 */
function StatusButton(props: {
  view: IStatusView;
  onClick: () => void;
}): JSX.Element {
  const { view, onClick } = props;
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onClick();
    }
  };
  return (
    <div
      className="jp-TrustedIdentity-statusButton"
      role="button"
      tabIndex={0}
      title={view.tooltip}
      aria-label={view.tooltip}
      data-verdict={view.verdict}
      data-scope={view.scope}
      onClick={onClick}
      onKeyDown={onKeyDown}
    >
      <StatusIcon tone={view.tone} label="" />
      <span className="jp-TrustedIdentity-statusText">{view.text}</span>
    </div>
  );
}

/**
 * The status bar item. It renders again when what it shows changes: the
 * model's state, the space's report, the kernels' reports, or the current
 * document (not on a change of the settings).
 */
export class IdentityStatusItem extends ViewWidget<IStatusView> {
  constructor(options: IdentityStatusItem.IOptions) {
    const { model, tracker, trans, onClick } = options;
    const triggers: IViewTrigger[] = [
      modelChanges(model, 'state', 'server', 'kernels')
    ];
    if (tracker) {
      triggers.push(
        { signal: tracker.currentChanged },
        { signal: tracker.sessionsChanged }
      );
    }
    super({
      triggers,
      view: () => statusView(model, tracker?.current ?? null, trans),
      render: view => <StatusButton view={view} onClick={onClick} />
    });
    this.addClass('jp-TrustedIdentity-statusItem');
    this.addClass('jp-mod-highlighted');
  }
}

/**
 * The namespace of `IdentityStatusItem` statics.
 */
export namespace IdentityStatusItem {
  /**
   * Options of the status bar item.
   */
  export interface IOptions {
    model: ITrustedIdentityModel;
    tracker: Pick<
      KernelSessionTracker,
      'current' | 'currentChanged' | 'sessionsChanged'
    > | null;
    trans: TranslationBundle;
    onClick: () => void;
  }
}
