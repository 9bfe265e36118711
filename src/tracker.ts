/**
 * The kernel-launch hook of the frontend: follows every notebook and console
 * (not only the current one) and asks the model for a kernel's report once
 * per kernel start, when the kernel first reaches `idle`.
 */
import type { ISessionContext } from '@jupyterlab/apputils';

import type { Kernel, Session } from '@jupyterlab/services';

import { IDisposable } from '@lumino/disposable';

import { ISignal, Signal } from '@lumino/signaling';

import { baseName } from './text';

import { shouldNotify } from './verdict';

import { TrustedIdentityModel } from './model';

import { IProbeResult, IReport } from './types';

/**
 * The kind of document a session belongs to.
 */
export type SessionKind = 'notebook' | 'console';

/**
 * What the tracker needs of a notebook or console panel.
 */
export interface ISessionWidget {
  readonly id: string;
  readonly title: { label: string };
  readonly isDisposed: boolean;
  readonly disposed: ISignal<any, void>;
  readonly sessionContext: ISessionContext;
}

/**
 * What the tracker needs of a widget tracker (`INotebookTracker`,
 * `IConsoleTracker`).
 */
export interface IWidgetTrackerLike<W extends ISessionWidget = ISessionWidget> {
  readonly widgetAdded: ISignal<any, W>;
  readonly currentWidget: W | null;
  readonly currentChanged: ISignal<any, W | null>;
  forEach(fn: (widget: W) => void): void;
}

/**
 * What the tracker needs of the shell, to know the current widget.
 */
export interface IShellLike {
  readonly currentWidget: { id: string } | null;
  readonly currentChanged: ISignal<any, any>;
}

/**
 * One followed notebook or console.
 */
export interface ITrackedSession {
  readonly widget: ISessionWidget;
  readonly kind: SessionKind;
  /**
   * The id of its kernel, or `null` when it has none.
   */
  readonly kernelId: string | null;
  /**
   * The kernelspec name, or `null`.
   */
  readonly kernelName: string | null;
  /**
   * The kernel's display name ("Python 3 (ipykernel)").
   */
  readonly kernelDisplayName: string;
  /**
   * The session path (the notebook path).
   */
  readonly path: string;
  /**
   * The document's name for people.
   */
  readonly name: string;
  /**
   * The kernel status.
   */
  readonly status: Kernel.Status | 'unknown';
}

/**
 * Follows every notebook and console session context:
 *
 * - on a kernel start, restart or change, and once the kernel is idle, asks
 *   the model for that kernel's report, once per (kernel id, start);
 * - drops replies of an earlier start (the model's launch tokens);
 * - notifies (through `notify`) when a start is not propagated, once per
 *   start as the server counts them (`scope.launch`), if the setting allows;
 * - runs the probe inside the kernel if the setting allows;
 * - disconnects from a widget's session context when the widget is disposed;
 * - tracks the current widget for the status bar.
 */
export class KernelSessionTracker implements IDisposable {
  constructor(options: KernelSessionTracker.IOptions) {
    this._model = options.model;
    this._notify = options.notify ?? null;
    this._probe = options.probe ?? null;
    this._shell = options.shell ?? null;
    this._trackers = [];
    if (options.notebooks) {
      this._trackers.push({ tracker: options.notebooks, kind: 'notebook' });
    }
    if (options.consoles) {
      this._trackers.push({ tracker: options.consoles, kind: 'console' });
    }
    for (const { tracker, kind } of this._trackers) {
      tracker.forEach(widget => this._follow(widget, kind));
      tracker.widgetAdded.connect(this._onWidgetAdded, this);
      if (!this._shell) {
        tracker.currentChanged.connect(this._onCurrentChanged, this);
      }
    }
    if (this._shell) {
      this._shell.currentChanged.connect(this._onCurrentChanged, this);
    }
    this._updateCurrent();
  }

  /**
   * Emitted when a followed session changes (added, removed, renamed, new
   * kernel, status).
   */
  get sessionsChanged(): ISignal<this, void> {
    return this._sessionsChanged;
  }

  /**
   * Emitted when the current session changes.
   */
  get currentChanged(): ISignal<this, ITrackedSession | null> {
    return this._currentChanged;
  }

  /**
   * The followed sessions, in the order they were opened.
   */
  get sessions(): ITrackedSession[] {
    return Array.from(this._contexts.values()).map(state =>
      this._describe(state)
    );
  }

  /**
   * The session of the current widget, or `null` when the current widget is
   * not a followed notebook or console.
   */
  get current(): ITrackedSession | null {
    return this._current ? this._describe(this._current) : null;
  }

  /**
   * The number of session contexts followed (tests).
   */
  get followedCount(): number {
    return this._contexts.size;
  }

  /**
   * Whether the tracker is disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * The session of a widget id, or `null`.
   */
  findByWidgetId(id: string): ITrackedSession | null {
    const state = this._find(item => item.widget.id === id);
    return state ? this._describe(state) : null;
  }

  /**
   * The first followed session of a kernel, or `null`.
   */
  findByKernelId(kernelId: string): ITrackedSession | null {
    const state = this._find(item => item.kernelId === kernelId);
    return state ? this._describe(state) : null;
  }

  /**
   * Re-check a kernel explicitly (POST check) and probe it again if the
   * setting allows.
   */
  async recheck(kernelId: string): Promise<IReport | null> {
    const launch = this._model.launchOf(kernelId);
    const report = await this._model.recheckKernel(kernelId);
    if (report) {
      void this._runProbe(kernelId, launch);
    }
    return report;
  }

  /**
   * Dispose of the tracker: disconnect from everything.
   */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    for (const state of Array.from(this._contexts.values())) {
      this._unfollow(state);
    }
    for (const { tracker } of this._trackers) {
      tracker.widgetAdded.disconnect(this._onWidgetAdded, this);
      tracker.currentChanged.disconnect(this._onCurrentChanged, this);
    }
    this._shell?.currentChanged.disconnect(this._onCurrentChanged, this);
    Signal.clearData(this);
  }

  // ---- following widgets -------------------------------------------------

  private _onWidgetAdded(sender: IWidgetTrackerLike, widget: ISessionWidget) {
    const entry = this._trackers.find(item => item.tracker === sender);
    this._follow(widget, entry?.kind ?? 'notebook');
    this._updateCurrent();
  }

  private _follow(widget: ISessionWidget, kind: SessionKind): void {
    const context = widget.sessionContext;
    if (widget.isDisposed || !context || this._contexts.has(context)) {
      return;
    }
    const state: Private.IState = { widget, kind, context, kernelId: null };
    this._contexts.set(context, state);
    context.kernelChanged.connect(this._onKernelChanged, this);
    context.statusChanged.connect(this._onStatusChanged, this);
    context.connectionStatusChanged.connect(this._onConnectionChanged, this);
    context.propertyChanged.connect(this._onPropertyChanged, this);
    widget.disposed.connect(this._onWidgetDisposed, this);

    const kernel = context.session?.kernel ?? null;
    if (kernel) {
      // Already running when followed (e.g. after a page reload): checked,
      // but notified only if the server saw it start just now.
      this._kernelAttached(state, kernel.id, false, false);
    }
    this._sessionsChanged.emit();
  }

  private _unfollow(state: Private.IState): void {
    const { context, widget } = state;
    context.kernelChanged.disconnect(this._onKernelChanged, this);
    context.statusChanged.disconnect(this._onStatusChanged, this);
    context.connectionStatusChanged.disconnect(this._onConnectionChanged, this);
    context.propertyChanged.disconnect(this._onPropertyChanged, this);
    widget.disposed.disconnect(this._onWidgetDisposed, this);
    this._contexts.delete(context);
    if (this._current === state) {
      this._current = null;
    }
  }

  private _onWidgetDisposed(widget: ISessionWidget): void {
    const state = this._find(item => item.widget === widget);
    if (!state) {
      return;
    }
    const wasCurrent = this._current === state;
    this._unfollow(state);
    this._sessionsChanged.emit();
    if (wasCurrent) {
      this._updateCurrent(true);
    }
  }

  // ---- session context signals --------------------------------------------

  private _onKernelChanged(
    context: ISessionContext,
    args: Session.ISessionConnection.IKernelChangedArgs
  ): void {
    const state = this._contexts.get(context);
    if (!state) {
      return;
    }
    const kernelId = args.newValue?.id ?? null;
    if (kernelId && kernelId !== state.kernelId) {
      this._kernelAttached(state, kernelId, false);
    } else if (!kernelId) {
      state.kernelId = null;
    }
    this._sessionsChanged.emit();
    if (this._current === state) {
      this._currentChanged.emit(this._describe(state));
    }
  }

  private _onStatusChanged(
    context: ISessionContext,
    status: Kernel.Status
  ): void {
    const state = this._contexts.get(context);
    if (!state) {
      return;
    }
    const kernelId = context.session?.kernel?.id ?? state.kernelId;
    let changed = false;
    if (kernelId && kernelId !== state.kernelId) {
      this._kernelAttached(state, kernelId, false);
      changed = true;
    }
    if (kernelId && (status === 'restarting' || status === 'autorestarting')) {
      this._kernelAttached(state, kernelId, true);
      changed = true;
    } else if (kernelId && status === 'idle') {
      this._maybeCheck(state, kernelId);
    } else if (status === 'dead') {
      changed = true;
    }
    // Busy and idle while cells run change nothing that is shown.
    if (changed) {
      this._sessionsChanged.emit();
    }
  }

  private _onConnectionChanged(
    context: ISessionContext,
    status: Kernel.ConnectionStatus
  ): void {
    const state = this._contexts.get(context);
    if (state?.kernelId && status === 'connected') {
      this._maybeCheck(state, state.kernelId);
    }
  }

  private _onPropertyChanged(): void {
    this._sessionsChanged.emit();
  }

  // ---- launches ------------------------------------------------------------

  /**
   * A widget's session has a kernel: a start of that kernel when the
   * tracker did not know it yet, or when it restarts.
   */
  private _kernelAttached(
    state: Private.IState,
    kernelId: string,
    restart: boolean,
    observed = true
  ): void {
    state.kernelId = kernelId;
    const known = this._starts.get(kernelId);
    if (known && (known.pending || !restart)) {
      // This start is already registered (by this or another widget of the
      // same kernel): never check the same start twice.
      this._maybeCheck(state, kernelId);
      return;
    }
    const check = this._model.settings.checkOnKernelLaunch;
    this._model.kernelLaunched(kernelId, check);
    this._starts.set(kernelId, {
      pending: check,
      restart,
      observed
    });
    this._maybeCheck(state, kernelId);
  }

  private _maybeCheck(state: Private.IState, kernelId: string): void {
    const known = this._starts.get(kernelId);
    if (!known || !known.pending) {
      return;
    }
    const kernel = state.context.session?.kernel;
    if (!kernel || kernel.id !== kernelId || kernel.status !== 'idle') {
      return;
    }
    known.pending = false;
    void this._check(kernelId, known);
  }

  private async _check(kernelId: string, start: Private.IStart): Promise<void> {
    const launch = this._model.launchOf(kernelId);
    const report = await this._model.checkKernel(kernelId, launch);
    if (!report || this._isDisposed) {
      return; // stale, failed or gone
    }
    const session = this.findByKernelId(kernelId);
    // Once per start as the server counts them: two restart signals of one
    // restart (`restarting`, `autorestarting`) are one launch.
    const key = `${kernelId}:${report.scope.launch ?? report.scope.launched_at}`;
    if (
      this._notify &&
      this._model.settings.notifyWhenNotPropagated &&
      shouldNotify(report.verdict) &&
      isFreshStart(report, start) &&
      !this._notified.has(key)
    ) {
      this._notified.add(key);
      this._notify(report, session);
    }
    await this._runProbe(kernelId, launch);
  }

  private async _runProbe(kernelId: string, launch: number): Promise<void> {
    if (!this._probe || !this._model.settings.probeInsideKernel) {
      return;
    }
    const state = this._find(item => item.kernelId === kernelId);
    const kernel = state?.context.session?.kernel;
    if (!kernel || kernel.id !== kernelId) {
      return;
    }
    const result = await this._probe(kernel);
    this._model.setProbe(kernelId, launch, result);
  }

  // ---- current widget ----------------------------------------------------

  private _onCurrentChanged(): void {
    this._updateCurrent();
  }

  private _updateCurrent(force = false): void {
    let next: Private.IState | null = null;
    const currentId = this._shell
      ? (this._shell.currentWidget?.id ?? null)
      : null;
    for (const state of this._contexts.values()) {
      if (this._shell) {
        if (state.widget.id === currentId) {
          next = state;
        }
      } else {
        for (const { tracker } of this._trackers) {
          if (tracker.currentWidget === state.widget) {
            next = state;
          }
        }
      }
    }
    if (next !== this._current || force) {
      this._current = next;
      this._currentChanged.emit(next ? this._describe(next) : null);
    }
  }

  /**
   * The first followed state that matches, or `null`.
   */
  private _find(
    predicate: (state: Private.IState) => boolean
  ): Private.IState | null {
    for (const state of this._contexts.values()) {
      if (predicate(state)) {
        return state;
      }
    }
    return null;
  }

  private _describe(state: Private.IState): ITrackedSession {
    const context = state.context;
    const kernel = context.session?.kernel ?? null;
    const path = context.path || context.session?.path || '';
    return {
      widget: state.widget,
      kind: state.kind,
      kernelId: kernel?.id ?? state.kernelId,
      kernelName: kernel?.name ?? null,
      kernelDisplayName:
        context.kernelDisplayName || kernel?.name || state.kind,
      path,
      name:
        state.kind === 'notebook'
          ? baseName(path) || state.widget.title.label
          : state.widget.title.label || baseName(path),
      status: kernel?.status ?? 'unknown'
    };
  }

  private _model: TrustedIdentityModel;
  private _notify:
    ((report: IReport, session: ITrackedSession | null) => void) | null;
  private _probe:
    ((kernel: Kernel.IKernelConnection) => Promise<IProbeResult>) | null;
  private _shell: IShellLike | null;
  private _trackers: { tracker: IWidgetTrackerLike; kind: SessionKind }[];
  private _contexts = new Map<ISessionContext, Private.IState>();
  /**
   * The check due for each kernel's latest start seen (the start itself is
   * the model's launch token).
   */
  private _starts = new Map<string, Private.IStart>();
  private _notified = new Set<string>();
  private _current: Private.IState | null = null;
  private _isDisposed = false;
  private _sessionsChanged = new Signal<this, void>(this);
  private _currentChanged = new Signal<this, ITrackedSession | null>(this);
}

/**
 * The namespace of `KernelSessionTracker` statics.
 */
export namespace KernelSessionTracker {
  /**
   * Options of the tracker.
   */
  export interface IOptions {
    model: TrustedIdentityModel;
    notebooks?: IWidgetTrackerLike | null;
    consoles?: IWidgetTrackerLike | null;
    /**
     * The shell, whose current widget decides the current session; without
     * it, the trackers' current widgets do.
     */
    shell?: IShellLike | null;
    /**
     * Called once per kernel start whose report warrants a notification.
     */
    notify?: (report: IReport, session: ITrackedSession | null) => void;
    /**
     * Runs the probe inside a kernel (probe.ts), when the setting allows.
     */
    probe?: (kernel: Kernel.IKernelConnection) => Promise<IProbeResult>;
  }
}

/**
 * How recent (by the server's clock) a kernel's start must be for a check of
 * a kernel the tracker did not see start (a new document on a running
 * kernel, a page reload) to notify.
 */
export const FRESH_START_SECONDS = 120;

/**
 * Whether a report belongs to a start worth a notification: a restart, or a
 * start the server saw just before the report (so a page reload does not
 * notify again for kernels that were already running).
 */
export function isFreshStart(
  report: IReport,
  start: { restart: boolean; observed: boolean }
): boolean {
  if (start.restart) {
    return true;
  }
  const launched = Date.parse(report.scope.launched_at ?? '');
  const generated = Date.parse(report.generated_at ?? '');
  if (isNaN(launched) || isNaN(generated)) {
    return start.observed;
  }
  return generated - launched <= FRESH_START_SECONDS * 1000;
}

namespace Private {
  export interface IStart {
    pending: boolean;
    restart: boolean;
    observed: boolean;
  }

  export interface IState {
    widget: ISessionWidget;
    kind: SessionKind;
    context: ISessionContext;
    kernelId: string | null;
  }
}
