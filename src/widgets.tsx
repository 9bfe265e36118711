/**
 * The widgets: the sidebar panel and its sections, and the status bar item.
 * They render the model; only the model talks to the server.
 */
import { ReactWidget } from '@jupyterlab/apputils';

import { TranslationBundle } from '@jupyterlab/translation';

import {
  caretDownIcon,
  CommandToolbarButton,
  SidePanel
} from '@jupyterlab/ui-components';

import { CommandRegistry } from '@lumino/commands';

import { Message } from '@lumino/messaging';

import { ISignal } from '@lumino/signaling';

import { Panel, PanelLayout, Widget } from '@lumino/widgets';

import * as React from 'react';

import {
  ChecksList,
  EmptyState,
  IdentitySection,
  ISessionRow,
  RunsWithoutIdentity,
  SessionsTable,
  StatusIcon,
  StudioFacts,
  ThrottledNote,
  VerdictBanner
} from './components';

import { throttledActions } from './budget';

import {
  baseName,
  defaultTrans,
  kernelCause,
  shouldNotify,
  Tone,
  verdictLabel,
  verdictTone
} from './format';

import { identityIcon } from './icons';

import { TrustedIdentityModel } from './model';

import { CommandIDs } from './tokens';

import { ITrackedSession, KernelSessionTracker } from './tracker';

import { FRONTEND_VERSION } from './version';

/**
 * The id of the panel (also its layout restorer name).
 */
export const PANEL_ID = 'jupyterlab-trusted-identity';

/**
 * The rows of the sessions table: the followed notebooks and consoles, then
 * the kernels the server reports that no open document uses.
 */
export function sessionRows(
  model: TrustedIdentityModel,
  tracker: KernelSessionTracker | null,
  trans: TranslationBundle = defaultTrans()
): ISessionRow[] {
  const rows: ISessionRow[] = [];
  const seen = new Set<string>();
  const current = tracker?.current ?? null;
  for (const session of tracker?.sessions ?? []) {
    if (!session.kernelId) {
      continue; // not a running kernel
    }
    const entry = model.kernel(session.kernelId);
    seen.add(session.kernelId);
    rows.push({
      key: session.widget.id,
      name: session.name,
      path: session.path,
      kind: session.kind,
      kernelId: session.kernelId,
      kernelDisplayName: session.kernelDisplayName,
      report: entry?.report ?? null,
      checking: entry?.checking ?? false,
      error: entry?.error ?? null,
      probe: entry?.probe ?? null,
      activatable: true,
      current: current?.widget === session.widget
    });
  }
  model.kernels.forEach((entry, kernelId) => {
    if (seen.has(kernelId) || !entry.report) {
      return;
    }
    const scope = entry.report.scope;
    rows.push({
      key: `kernel:${kernelId}`,
      name:
        baseName(scope.session_path) ||
        scope.kernel_name ||
        trans.__('Kernel %1', kernelId.slice(0, 8)),
      path: scope.session_path ?? '',
      kind: 'kernel',
      kernelId,
      kernelDisplayName: scope.kernel_name ?? '',
      report: entry.report,
      checking: entry.checking,
      error: entry.error,
      probe: entry.probe,
      activatable: false,
      current: false
    });
  });
  return rows;
}

/**
 * A React widget that renders again whenever one of its signals fires, and
 * only while it is visible.
 */
abstract class SignalRenderer extends ReactWidget {
  constructor(signals: ISignal<any, any>[]) {
    super();
    this._signals = signals;
    for (const signal of signals) {
      signal.connect(this._onSignal, this);
    }
  }

  dispose(): void {
    for (const signal of this._signals) {
      signal.disconnect(this._onSignal, this);
    }
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    if (this._dirty) {
      this._dirty = false;
      this.update();
    }
  }

  private _onSignal(): void {
    if (this.isVisible) {
      this.update();
    } else {
      this._dirty = true;
    }
  }

  private _signals: ISignal<any, any>[];
  private _dirty = false;
}

/**
 * Options shared by the panel's parts.
 */
export interface IPartOptions {
  model: TrustedIdentityModel;
  tracker: KernelSessionTracker | null;
  trans: TranslationBundle;
}

/**
 * The verdict banner, or the reason-coded empty state without a report.
 */
export class BannerWidget extends SignalRenderer {
  constructor(options: IPartOptions) {
    const signals: ISignal<any, any>[] = [options.model.changed];
    if (options.tracker) {
      signals.push(options.tracker.sessionsChanged);
    }
    super(signals);
    this._options = options;
    this.addClass('jp-TrustedIdentity-bannerArea');
  }

  render(): JSX.Element {
    const { model, trans } = this._options;
    const report = model.report;
    if (model.state !== 'ready' || !report) {
      return (
        <EmptyState
          state={model.state}
          error={model.error}
          handshake={model.handshake}
          frontendVersion={FRONTEND_VERSION}
          busy={model.refreshing}
          onRetry={() => void model.refresh()}
          trans={trans}
        />
      );
    }
    const kernelsWithout = sessionRows(model, this._options.tracker, trans)
      .filter(row => row.report && shouldNotify(row.report.verdict))
      .map(row => row.name);
    return (
      <>
        <VerdictBanner
          report={report}
          error={model.error}
          updatedAt={model.updatedAt}
          refreshing={model.refreshing}
          kernelsWithout={kernelsWithout}
          trans={trans}
        />
        <ThrottledNote actions={throttledActions(report)} trans={trans} />
      </>
    );
  }

  private _options: IPartOptions;
}

/**
 * A section of the panel's accordion.
 */
abstract class Section extends SignalRenderer {
  constructor(
    options: IPartOptions,
    id: string,
    label: string,
    signals: ISignal<any, any>[],
    collapsed = false
  ) {
    super(signals);
    this.options = options;
    this.id = `jp-TrustedIdentity-section-${id}`;
    this.addClass('jp-TrustedIdentity-sectionWidget');
    this.node.dataset.section = id;
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', label);
    this.title.label = label;
    this._label = label;
    this._collapsed = collapsed;
    this.toggleClass('jp-mod-collapsed', collapsed);
  }

  /**
   * Whether the section is folded.
   */
  get collapsed(): boolean {
    return this._collapsed;
  }
  set collapsed(value: boolean) {
    if (value !== this._collapsed) {
      this._collapsed = value;
      this.toggleClass('jp-mod-collapsed', value);
      this.update();
    }
  }

  render(): JSX.Element {
    const bodyId = `${this.id}-body`;
    return (
      <>
        <h3 className="jp-TrustedIdentity-sectionTitle">
          <button
            type="button"
            aria-expanded={!this._collapsed}
            aria-controls={bodyId}
            onClick={() => {
              this.collapsed = !this._collapsed;
            }}
          >
            <caretDownIcon.react
              tag="span"
              className="jp-TrustedIdentity-caret"
              elementSize="normal"
            />
            <span>{this._label}</span>
          </button>
        </h3>
        {!this._collapsed && (
          <div id={bodyId} className="jp-TrustedIdentity-sectionBody">
            {this.renderBody()}
          </div>
        )}
      </>
    );
  }

  /**
   * The content of the section.
   */
  protected abstract renderBody(): JSX.Element | null;

  protected readonly options: IPartOptions;
  private _label: string;
  private _collapsed: boolean;
}

/**
 * The identity of the space's (server's) report.
 */
export class IdentityWidget extends Section {
  constructor(options: IPartOptions) {
    super(options, 'identity', options.trans.__('Identity'), [
      options.model.changed
    ]);
  }

  protected renderBody(): JSX.Element | null {
    const { model, trans } = this.options;
    if (!model.report) {
      return null;
    }
    return (
      <IdentitySection
        report={model.report}
        expiryWarningMinutes={model.settings.expiryWarningMinutes}
        trans={trans}
      />
    );
  }
}

/**
 * The sessions: one row per notebook and console kernel.
 */
export class SessionsWidget extends Section {
  constructor(
    options: IPartOptions & {
      onActivate: (row: ISessionRow) => void;
      onRecheck: (row: ISessionRow) => void;
    }
  ) {
    const signals: ISignal<any, any>[] = [options.model.changed];
    if (options.tracker) {
      signals.push(options.tracker.sessionsChanged);
      signals.push(options.tracker.currentChanged);
    }
    super(options, 'sessions', options.trans.__('Sessions'), signals);
    this._onActivate = options.onActivate;
    this._onRecheck = options.onRecheck;
  }

  protected renderBody(): JSX.Element {
    const { model, tracker, trans } = this.options;
    return (
      <div className="jp-TrustedIdentity-section">
        <SessionsTable
          rows={sessionRows(model, tracker, trans)}
          onActivate={this._onActivate}
          onRecheck={this._onRecheck}
          trans={trans}
        />
      </div>
    );
  }

  private _onActivate: (row: ISessionRow) => void;
  private _onRecheck: (row: ISessionRow) => void;
}

/**
 * The checks of the space's report.
 */
export class ChecksWidget extends Section {
  constructor(options: IPartOptions) {
    super(options, 'checks', options.trans.__('Checks'), [
      options.model.changed
    ]);
  }

  protected renderBody(): JSX.Element | null {
    const { model, trans } = this.options;
    return model.report ? (
      <ChecksList checks={model.report.checks} trans={trans} />
    ) : null;
  }
}

/**
 * The Studio facts.
 */
export class StudioWidget extends Section {
  constructor(options: IPartOptions) {
    super(options, 'studio', options.trans.__('Studio space'), [
      options.model.changed
    ]);
  }

  protected renderBody(): JSX.Element | null {
    const { model, trans } = this.options;
    return model.report ? (
      <StudioFacts studio={model.report.studio} trans={trans} />
    ) : null;
  }
}

/**
 * Connected services and what runs without the identity.
 */
export class NotesWidget extends Section {
  constructor(options: IPartOptions) {
    super(
      options,
      'notes',
      options.trans.__('Services and limits'),
      [options.model.changed],
      true
    );
  }

  protected renderBody(): JSX.Element {
    const { model, trans } = this.options;
    return (
      <RunsWithoutIdentity
        services={model.report?.connected_services ?? []}
        trans={trans}
      />
    );
  }
}

/**
 * The sidebar panel: a header, a toolbar, the verdict banner (or the empty
 * state) and collapsible sections, like JupyterLab's own side panels.
 */
export class TrustedIdentityPanel extends SidePanel {
  constructor(options: TrustedIdentityPanel.IOptions) {
    // One scrolling column of collapsible sections: the content is read top
    // to bottom (banner, identity, sessions, checks, facts).
    super({ translator: options.translator, content: new Panel() });
    const { model, tracker, trans, commands } = options;
    this._model = model;
    this.id = PANEL_ID;
    this.addClass('jp-TrustedIdentity');
    this.title.icon = identityIcon;
    this.title.caption = trans.__('Trusted identity');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', trans.__('Trusted identity panel'));

    const heading = new Widget({ node: document.createElement('h2') });
    heading.node.textContent = trans.__('Trusted identity');
    heading.addClass('jp-text-truncated');
    this.header.addWidget(heading);

    if (commands) {
      for (const id of [
        CommandIDs.refresh,
        CommandIDs.copySummary,
        CommandIDs.downloadAudit
      ]) {
        this.toolbar.addItem(
          id.split(':')[1],
          new CommandToolbarButton({ commands, id, label: '' })
        );
      }
    }
    this.toolbar.addClass('jp-TrustedIdentity-toolbar');
    this.toolbar.node.setAttribute(
      'aria-label',
      trans.__('Trusted identity actions')
    );

    const parts: IPartOptions = { model, tracker, trans };
    const banner = new BannerWidget(parts);
    // Between the toolbar and the sections.
    const layout = this.layout as PanelLayout;
    layout.insertWidget(layout.widgets.indexOf(this.content), banner);

    this.addWidget(new IdentityWidget(parts));
    this.addWidget(
      new SessionsWidget({
        ...parts,
        onActivate: row => options.onActivate?.(row),
        onRecheck: row => options.onRecheck?.(row)
      })
    );
    this.addWidget(new ChecksWidget(parts));
    this.addWidget(new StudioWidget(parts));
    this.addWidget(new NotesWidget(parts));
    model.changed.connect(this._onModelChanged, this);
    this._onModelChanged();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._model.changed.disconnect(this._onModelChanged, this);
    this._model.setNeeded('panel', false);
    super.dispose();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._model.setNeeded('panel', this.isVisible);
  }

  protected onBeforeDetach(msg: Message): void {
    this._model.setNeeded('panel', false);
    super.onBeforeDetach(msg);
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._model.setNeeded('panel', true);
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._model.setNeeded('panel', false);
  }

  private _onModelChanged(): void {
    const ready = this._model.state === 'ready' && !!this._model.report;
    this.content.setHidden(!ready);
    this.toggleClass('jp-mod-empty', !ready);
  }

  private _model: TrustedIdentityModel;
}

/**
 * The namespace of `TrustedIdentityPanel` statics.
 */
export namespace TrustedIdentityPanel {
  /**
   * Options of the panel.
   */
  export interface IOptions {
    model: TrustedIdentityModel;
    tracker: KernelSessionTracker | null;
    trans: TranslationBundle;
    translator?: import('@jupyterlab/translation').ITranslator;
    commands?: CommandRegistry;
    onActivate?: (row: ISessionRow) => void;
    onRecheck?: (row: ISessionRow) => void;
  }
}

/**
 * What the status bar item shows: the current notebook's (or console's)
 * kernel, else the space (server).
 */
export interface IStatusView {
  tone: Tone;
  text: string;
  tooltip: string;
  verdict: string;
  scope: 'kernel' | 'server' | 'none';
}

/**
 * The view of the status bar item.
 */
export function statusView(
  model: TrustedIdentityModel,
  current: ITrackedSession | null,
  trans: TranslationBundle = defaultTrans()
): IStatusView {
  if (model.state !== 'ready' || !model.report) {
    const loading = model.state === 'loading';
    return {
      tone: loading ? 'pending' : 'warn',
      text: loading ? trans.__('Identity…') : trans.__('Identity unavailable'),
      tooltip: loading
        ? trans.__(
            'Checking whether your identity is propagated. Click to open the Trusted identity panel.'
          )
        : trans.__(
            'The identity could not be checked. Click to open the Trusted identity panel.'
          ),
      verdict: loading ? 'checking' : model.state,
      scope: 'none'
    };
  }
  if (current && current.kernelId) {
    const entry = model.kernel(current.kernelId);
    const report = entry?.report ?? null;
    if (!report) {
      return {
        tone: 'pending',
        text: trans.__('Checking…'),
        tooltip: trans.__(
          '%1: checking its kernel. Click to open the Trusted identity panel.',
          current.name
        ),
        verdict: 'checking',
        scope: 'kernel'
      };
    }
    const tone = verdictTone(report.verdict);
    const name = report.user.short_name;
    const label = verdictLabel(report.verdict, trans);
    const detail =
      report.verdict === 'propagated'
        ? report.summary
        : kernelCause(report, trans);
    return {
      tone,
      text: report.verdict === 'propagated' && name ? name : label,
      tooltip: trans.__(
        '%1 (%2): %3 — %4\nClick to open the Trusted identity panel.',
        current.name,
        current.kernelDisplayName,
        label,
        detail
      ),
      verdict: report.verdict,
      scope: 'kernel'
    };
  }
  const report = model.report;
  const tone = verdictTone(report.verdict);
  const name = report.user.short_name;
  const label = verdictLabel(report.verdict, trans);
  return {
    tone,
    text: report.verdict === 'propagated' && name ? name : label,
    tooltip: trans.__(
      'Space: %1 — %2\nClick to open the Trusted identity panel.',
      label,
      report.summary
    ),
    verdict: report.verdict,
    scope: 'server'
  };
}

/**
 * The status bar item: the current notebook's identity (user name and a
 * verdict icon), a tooltip with the summary; a click opens the panel.
 */
export class IdentityStatusItem extends SignalRenderer {
  constructor(options: IdentityStatusItem.IOptions) {
    const signals: ISignal<any, any>[] = [options.model.changed];
    if (options.tracker) {
      signals.push(options.tracker.currentChanged);
      signals.push(options.tracker.sessionsChanged);
    }
    super(signals);
    this._options = options;
    this.addClass('jp-TrustedIdentity-statusItem');
    this.addClass('jp-mod-highlighted');
  }

  render(): JSX.Element {
    const { model, tracker, trans, onClick } = this._options;
    const view = statusView(model, tracker?.current ?? null, trans);
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

  private _options: IdentityStatusItem.IOptions;
}

/**
 * The namespace of `IdentityStatusItem` statics.
 */
export namespace IdentityStatusItem {
  /**
   * Options of the status bar item.
   */
  export interface IOptions {
    model: TrustedIdentityModel;
    tracker: KernelSessionTracker | null;
    trans: TranslationBundle;
    onClick: () => void;
  }
}
