/**
 * The model of the extension: the report store (the server report, the
 * kernel reports by kernel id), the version handshake, the poll and the
 * reason-coded state.
 */
import { IDisposable } from '@lumino/disposable';

import { IPoll, Poll } from '@lumino/polling';

import { ISignal, Signal } from '@lumino/signaling';

import { ICheckOptions, TrustedIdentityAPI } from '../api';

import type { ITrustedIdentityModel } from '../tokens';

import {
  AccessPermission,
  IAccessTestResult,
  IProbeResult,
  IReport
} from '../types';

import {
  checkServerVersion,
  FRONTEND_VERSION,
  HandshakeResult
} from '../version';

import { classifyError, IModelError, isUnreachable } from './errors';

import { assertReport, isReport, newerOrSame } from './reports';

import { ISettingsValues, normalizeSettings } from './settings';

/**
 * The state of the model, reason-coded. Only `ready` has a server report;
 * every other state is shown as an empty state that says why and what to do.
 *
 * - `loading`: the first report is on its way.
 * - `ready`: a server report is available (it may be stale: see `error`).
 * - `server-missing`: the server extension does not answer (404).
 * - `version-mismatch`: the server extension is of another version.
 * - `disconnected`: the JupyterLab server cannot be reached (or does not
 *   answer in time); retried with the poll's backoff.
 * - `request-failed`: the server answered with an error.
 */
export type ModelState =
  | 'loading'
  | 'ready'
  | 'server-missing'
  | 'version-mismatch'
  | 'disconnected'
  | 'request-failed';

/**
 * What the model knows about one kernel.
 */
export interface IKernelEntry {
  kernelId: string;
  /**
   * The latest accepted report of the kernel, or `null`.
   */
  report: IReport | null;
  /**
   * Whether a check of the kernel is on its way.
   */
  checking: boolean;
  /**
   * The frontend's token of the kernel's latest start seen by the tracker
   * (0 for a kernel only known from the server's list).
   *
   * The server's `scope.launch` is the launch count and orders reports; this
   * token exists only because the frontend sees a restart before the server
   * has reported it: until the new start's report arrives, its
   * `scope.launch` is unknown, yet replies and probes of the earlier start
   * that arrive meanwhile must be dropped.
   */
  launch: number;
  /**
   * The message of the latest failed check, or `null`.
   */
  error: string | null;
  /**
   * The latest probe inside the kernel, or `null`.
   */
  probe: IProbeResult | null;
}

/**
 * The answer to an explicit check of the user's: a refresh of the space, a
 * re-check of a kernel.
 */
export interface IExplicitCheckAnswer {
  /**
   * The kernel checked, or `null` for the space (server).
   */
  kernelId: string | null;
  report: IReport;
}

/**
 * What changed in the model.
 */
export type ModelChange = 'state' | 'server' | 'kernels' | 'settings';

/**
 * The model of the extension: the server report, the kernel reports by
 * kernel id, the version handshake and a reason-coded state.
 *
 * It is the only part that talks to the server. A `Poll` refreshes the
 * reports and is the one reconnection mechanism: a tick that fails rejects,
 * so the poll backs off (up to `max`) until a tick succeeds; it stands by
 * while nothing shows the reports.
 */
export class TrustedIdentityModel
  implements IDisposable, ITrustedIdentityModel
{
  constructor(options: TrustedIdentityModel.IOptions = {}) {
    this._api = options.api ?? new TrustedIdentityAPI();
    this._frontendVersion = options.frontendVersion ?? FRONTEND_VERSION;
    this._now = options.now ?? Date.now;
    this._settings = normalizeSettings(options.settings ?? {});
    this._poll = new Poll<void, unknown, 'standby'>({
      auto: false,
      factory: () => this._tick(),
      frequency: this._frequency(),
      name: 'jupyterlab-trusted-identity:reports',
      standby: () => this._standby()
    });
  }

  /**
   * Emitted when anything shown changes.
   */
  get changed(): ISignal<this, ModelChange> {
    return this._changed;
  }

  /**
   * Emitted once per failed version handshake that the user must act on
   * (`missing` or `mismatch`).
   */
  get handshakeFailed(): ISignal<this, HandshakeResult> {
    return this._handshakeFailed;
  }

  /**
   * Emitted with the report of each explicit check (a refresh, a kernel's
   * re-check) once it is shown; its `budget` tells whether AWS was asked.
   */
  get explicitChecked(): ISignal<this, IExplicitCheckAnswer> {
    return this._explicitChecked;
  }

  /**
   * The API client.
   */
  get api(): TrustedIdentityAPI {
    return this._api;
  }

  /**
   * The poll of the reports.
   */
  get poll(): Poll<void, unknown, 'standby'> {
    return this._poll;
  }

  /**
   * The reason-coded state.
   */
  get state(): ModelState {
    return this._state;
  }

  /**
   * The outcome of the version handshake, once it ran.
   */
  get handshake(): HandshakeResult | null {
    return this._handshake;
  }

  /**
   * The latest server report, or `null`.
   */
  get report(): IReport | null {
    return this._report;
  }

  /**
   * When the server report was last received (ms since the epoch), or 0.
   */
  get updatedAt(): number {
    return this._updatedAt;
  }

  /**
   * The latest failure, while the latest request failed; else `null`.
   */
  get error(): IModelError | null {
    return this._error;
  }

  /**
   * Whether the connection to the server is considered lost.
   */
  get connectionLost(): boolean {
    return this._connectionLost;
  }

  /**
   * Whether an explicit refresh is on its way.
   */
  get refreshing(): boolean {
    return this._refreshing > 0;
  }

  /**
   * The settings in force.
   */
  get settings(): ISettingsValues {
    return this._settings;
  }

  /**
   * The kernels the model knows, by kernel id.
   */
  get kernels(): ReadonlyMap<string, IKernelEntry> {
    return this._kernels;
  }

  /**
   * What the model knows about one kernel.
   */
  kernel(kernelId: string | null | undefined): IKernelEntry | undefined {
    return kernelId ? this._kernels.get(kernelId) : undefined;
  }

  /**
   * The current launch token of a kernel (0 if none was registered).
   */
  launchOf(kernelId: string): number {
    return this._kernels.get(kernelId)?.launch ?? 0;
  }

  /**
   * Whether the model is disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Start polling (the first tick runs at once).
   */
  start(): Promise<void> {
    return this._poll.start();
  }

  /**
   * Refresh now, explicitly: the server report is re-checked (bypassing the
   * server's caches) and the kernel reports are read again.
   *
   * @param options `cloudtrail`: ask CloudTrail again even for a session it
   *   already verified.
   */
  async refresh(options: ICheckOptions = {}): Promise<void> {
    this._refreshing++;
    this._emit('state');
    try {
      if (!(await this._ensureHandshake())) {
        return;
      }
      const [report] = await Promise.all([
        this._loadServer(() => this._api.checkIdentity(options)),
        this._loadKernels()
      ]);
      if (report && !this._isDisposed) {
        this._explicitChecked.emit({ kernelId: null, report });
      }
    } catch {
      // Recorded in `error`/`state`.
    } finally {
      this._refreshing--;
      this._emit('state');
    }
    // Restart the poll's period from now.
    void this._reschedule();
  }

  /**
   * Test whether the user reaches `target` with `permission` through S3
   * Access Grants (`POST access-test`), on the user's explicit request only.
   * A grantee that is an IAM Identity Center user is proof the server's
   * reports weigh from then on, so the reports are read again (the poll's
   * own read: no explicit check, no AWS call). A failure rejects with the
   * request's error (an `APIError` with the server's message for a 400 or a
   * 429).
   */
  async testAccess(
    target: string,
    permission: AccessPermission
  ): Promise<IAccessTestResult> {
    const result = await this._api.testAccess(target, permission);
    if (result.grantee?.type === 'DIRECTORY_USER' && !this._isDisposed) {
      void this._poll.refresh();
    }
    return result;
  }

  /**
   * Apply new settings values (live).
   */
  applySettings(values: Partial<Record<keyof ISettingsValues, unknown>>): void {
    const next = normalizeSettings({ ...this._settings, ...values });
    const previous = this._settings;
    if (JSON.stringify(next) === JSON.stringify(previous)) {
      return;
    }
    this._settings = next;
    if (next.refreshInterval !== previous.refreshInterval) {
      this._poll.frequency = this._frequency();
      void this._reschedule();
    }
    this._emit('settings');
  }

  /**
   * Tell whether a consumer (the panel, the status bar item) shows the
   * reports now. The poll stands by while no consumer does; a consumer that
   * appears gets a refresh if the data is older than the refresh interval.
   */
  setNeeded(consumer: string, needed: boolean): void {
    const had = this._needed.size > 0;
    if (needed) {
      this._needed.add(consumer);
    } else {
      this._needed.delete(consumer);
    }
    const phase = this._poll.state.phase;
    const running = phase !== 'constructed' && phase !== 'stopped';
    if (running && !had && this._needed.size > 0 && this._isStale()) {
      void this._poll.refresh();
    }
  }

  /**
   * Whether any consumer shows the reports now.
   */
  get needed(): boolean {
    return this._needed.size > 0;
  }

  /**
   * Note that the connection to the server failed (e.g. JupyterLab's
   * `connectionFailure` signal). Shown at once; the poll's next tick asks
   * again and, while it fails, backs off.
   */
  noteConnectionLost(): void {
    this._loseConnection();
    this._emit('state');
  }

  /**
   * Register a new start (start, restart or change) of a kernel: replies to
   * checks of the kernel's earlier starts are dropped from now on.
   *
   * @param kernelId The kernel's id.
   * @param checking Whether a check of this start follows.
   * @returns The launch token of this start.
   */
  kernelLaunched(kernelId: string, checking = true): number {
    const entry = this._entry(kernelId);
    entry.launch += 1;
    entry.checking = checking;
    entry.error = null;
    entry.probe = null;
    this._emit('kernels');
    return entry.launch;
  }

  /**
   * Ask the server for the report of a kernel's start (`GET
   * kernels/{id}`, which joins the server's own launch check).
   *
   * @returns The report, or `null` when the reply is stale (the kernel
   *   started again or is gone) or the request failed.
   */
  checkKernel(kernelId: string, launch: number): Promise<IReport | null> {
    return this._checkKernel(kernelId, launch, () =>
      this._api.kernel(kernelId)
    );
  }

  /**
   * Re-run every check of a kernel (`POST kernels/{id}/check`, bypassing the
   * server's caches; audited).
   *
   * @returns The report, or `null` when stale or failed.
   */
  async recheckKernel(kernelId: string): Promise<IReport | null> {
    const entry = this._entry(kernelId);
    entry.error = null;
    const report = await this._checkKernel(kernelId, entry.launch, () =>
      this._api.checkKernel(kernelId)
    );
    if (report && !this._isDisposed) {
      this._explicitChecked.emit({ kernelId, report });
    }
    return report;
  }

  /**
   * Record what the probe inside a kernel found, unless the kernel started
   * again meanwhile.
   *
   * @returns Whether the result was kept.
   */
  setProbe(kernelId: string, launch: number, result: IProbeResult): boolean {
    const entry = this._kernels.get(kernelId);
    if (!entry || entry.launch !== launch) {
      return false;
    }
    entry.probe = result;
    this._emit('kernels');
    return true;
  }

  /**
   * Forget a kernel (it shut down).
   */
  forgetKernel(kernelId: string): void {
    if (this._kernels.delete(kernelId)) {
      this._emit('kernels');
    }
  }

  /**
   * Dispose of the model and stop polling.
   */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poll.dispose();
    Signal.clearData(this);
  }

  // ---- internals ---------------------------------------------------------

  private _frequency(): IPoll.Frequency {
    const interval = this._settings.refreshInterval * 1000;
    return {
      interval,
      backoff: true,
      max: Math.max(interval, 5 * 60 * 1000)
    };
  }

  private _standby(): boolean | Poll.Standby {
    // Until a first report arrived, always ask (it also runs the handshake).
    if (this._report === null) {
      return false;
    }
    if (this._needed.size === 0) {
      return true;
    }
    return 'when-hidden';
  }

  private _isStale(): boolean {
    return (
      this._now() - this._updatedAt >= this._settings.refreshInterval * 1000
    );
  }

  private async _reschedule(): Promise<void> {
    const phase = this._poll.state.phase;
    if (
      this._isDisposed ||
      phase === 'constructed' ||
      phase === 'stopped' ||
      phase === 'disposed'
    ) {
      return;
    }
    await this._poll.schedule({
      interval: this._poll.frequency.interval,
      phase: 'standby'
    });
  }

  private async _tick(): Promise<void> {
    if (!(await this._ensureHandshake())) {
      throw new Error(this._handshake?.message ?? 'version handshake failed');
    }
    if (this._refreshing > 0) {
      // An explicit refresh brings fresher reports.
      return;
    }
    await Promise.all([
      this._loadServer(() => this._api.identity()),
      this._loadKernels()
    ]);
  }

  /**
   * Run the version handshake unless it succeeded already.
   *
   * @returns Whether the server extension answers with this version.
   */
  private _ensureHandshake(): Promise<boolean> {
    if (this._handshake?.ok) {
      return Promise.resolve(true);
    }
    if (!this._handshakePending) {
      this._handshakePending = checkServerVersion(
        this._api.serverSettings,
        this._frontendVersion
      )
        .then(result => this._onHandshake(result))
        .finally(() => {
          this._handshakePending = null;
        });
    }
    return this._handshakePending;
  }

  private _onHandshake(result: HandshakeResult): boolean {
    const previous = this._handshake;
    this._handshake = result;
    if (result.ok) {
      this._connectionLost = false;
      console.log(result.message);
      return true;
    }
    if (result.problem === 'missing' || result.problem === 'mismatch') {
      this._error = null;
      this._setState(
        result.problem === 'missing' ? 'server-missing' : 'version-mismatch'
      );
      if (!previous || previous.ok || previous.problem !== result.problem) {
        console.warn(result.message);
        this._handshakeFailed.emit(result);
      }
      return false;
    }
    // The server could not be asked: like any request that failed.
    this._fail({
      reason: 'network',
      message: result.message,
      status: null,
      at: this._now()
    });
    return false;
  }

  /**
   * Load the server report.
   *
   * @returns The report, or `null` when a later request was answered first.
   */
  private async _loadServer(
    request: () => Promise<IReport>
  ): Promise<IReport | null> {
    const seq = ++this._serverSeq;
    let report: IReport;
    try {
      const body = await request();
      assertReport(body);
      report = body;
    } catch (error) {
      if (seq === this._serverSeq) {
        this._fail(classifyError(error, this._now()));
      }
      throw error;
    }
    if (seq < this._serverApplied) {
      // A later request was answered first.
      return null;
    }
    this._serverApplied = seq;
    this._report = report;
    this._updatedAt = this._now();
    this._error = null;
    this._connectionLost = false;
    this._setState('ready', false);
    this._emit('server');
    return report;
  }

  private async _loadKernels(): Promise<void> {
    // The launch of every known kernel when the request leaves: a kernel
    // that starts again meanwhile keeps what its own check brings.
    const launches = new Map<string, number>();
    this._kernels.forEach((entry, id) => launches.set(id, entry.launch));
    let reports: IReport[];
    try {
      const body = await this._api.kernels();
      if (!body || !Array.isArray(body.kernels)) {
        throw new Error('The kernel list has no `kernels`.');
      }
      reports = body.kernels.filter(isReport);
    } catch {
      // The server report's request tells the state; a failed list only
      // keeps what is known.
      return;
    }
    const listed = new Set<string>();
    let changed = false;
    for (const report of reports) {
      const id = report.scope.kernel_id;
      if (!id) {
        continue;
      }
      listed.add(id);
      const entry = this._kernels.get(id);
      if (entry && entry.launch !== (launches.get(id) ?? 0)) {
        continue; // started again meanwhile: stale
      }
      if (entry && entry.checking) {
        continue; // its own check is on its way and will bring a fresher one
      }
      if (entry && !newerOrSame(report, entry.report)) {
        continue;
      }
      if (entry && entry.report === report && entry.error === null) {
        // The same report object: the API handed back the list it already
        // had (the server answered 304 Not Modified). Nothing changed.
        continue;
      }
      const target = entry ?? this._entry(id);
      target.report = report;
      target.error = null;
      changed = true;
    }
    // Kernels that were known when the request left, did not start again,
    // and are no longer listed, are gone.
    launches.forEach((launch, id) => {
      const entry = this._kernels.get(id);
      if (
        entry &&
        !listed.has(id) &&
        entry.launch === launch &&
        !entry.checking
      ) {
        this._kernels.delete(id);
        changed = true;
      }
    });
    if (changed) {
      this._emit('kernels');
    }
  }

  private async _checkKernel(
    kernelId: string,
    launch: number,
    request: () => Promise<IReport>
  ): Promise<IReport | null> {
    const seq = ++this._kernelSeq;
    const entry = this._entry(kernelId);
    entry.checking = true;
    entry.latestSeq = seq;
    this._emit('kernels');
    try {
      const report = await request();
      const current = this._kernels.get(kernelId);
      if (!current || current.launch !== launch) {
        return null; // a reply for an earlier start, or a forgotten kernel
      }
      assertReport(report);
      if ((current.latestSeq ?? 0) > seq) {
        return null; // a later check of the same start is on its way
      }
      current.report = report;
      current.checking = false;
      current.error = null;
      this._emit('kernels');
      return report;
    } catch (error) {
      const current = this._kernels.get(kernelId);
      if (!current || current.launch !== launch) {
        return null;
      }
      if ((current.latestSeq ?? 0) > seq) {
        return null;
      }
      const failure = classifyError(error, this._now());
      if (failure.reason === 'not-found') {
        // The kernel is gone.
        this._kernels.delete(kernelId);
      } else {
        current.checking = false;
        current.error = failure.message;
        if (isUnreachable(failure.reason)) {
          this._loseConnection();
        }
      }
      this._emit('kernels');
      return null;
    }
  }

  private _entry(kernelId: string): IKernelEntry & { latestSeq?: number } {
    let entry = this._kernels.get(kernelId);
    if (!entry) {
      entry = {
        kernelId,
        report: null,
        checking: false,
        launch: 0,
        error: null,
        probe: null
      };
      this._kernels.set(kernelId, entry);
    }
    return entry;
  }

  private _fail(error: IModelError): void {
    this._error = error;
    if (isUnreachable(error.reason)) {
      this._loseConnection();
    }
    if (this._report === null) {
      this._setState(
        isUnreachable(error.reason) ? 'disconnected' : 'request-failed',
        false
      );
    }
    this._emit('state');
  }

  private _loseConnection(): void {
    // Only shown: the poll's own backoff paces the retries.
    this._connectionLost = true;
  }

  private _setState(state: ModelState, emit = true): void {
    if (this._state !== state) {
      this._state = state;
      if (emit) {
        this._emit('state');
      }
    }
  }

  private _emit(change: ModelChange): void {
    if (!this._isDisposed) {
      this._changed.emit(change);
    }
  }

  private _api: TrustedIdentityAPI;
  private _frontendVersion: string;
  private _now: () => number;
  private _settings: ISettingsValues;
  private _poll: Poll<void, unknown, 'standby'>;
  private _state: ModelState = 'loading';
  private _handshake: HandshakeResult | null = null;
  private _handshakePending: Promise<boolean> | null = null;
  private _report: IReport | null = null;
  private _updatedAt = 0;
  private _error: IModelError | null = null;
  private _connectionLost = false;
  private _refreshing = 0;
  private _serverSeq = 0;
  private _serverApplied = 0;
  private _kernelSeq = 0;
  private _kernels = new Map<string, IKernelEntry & { latestSeq?: number }>();
  private _needed = new Set<string>();
  private _isDisposed = false;
  private _changed = new Signal<this, ModelChange>(this);
  private _handshakeFailed = new Signal<this, HandshakeResult>(this);
  private _explicitChecked = new Signal<this, IExplicitCheckAnswer>(this);
}

/**
 * The namespace of `TrustedIdentityModel` statics.
 */
export namespace TrustedIdentityModel {
  /**
   * Options of the model.
   */
  export interface IOptions {
    /**
     * The API client.
     */
    api?: TrustedIdentityAPI;
    /**
     * The initial settings.
     */
    settings?: Partial<ISettingsValues>;
    /**
     * The frontend version for the handshake (tests).
     */
    frontendVersion?: string;
    /**
     * The clock (tests).
     */
    now?: () => number;
  }
}
