/**
 * What other code may rely on without loading the extension's views: the
 * command ids, the panel's id, and the tokens of the model and of the kernel
 * tracker. This module imports nothing of the extension at run time (only
 * types), so importing it never pulls the widgets or the model into a bundle.
 */
import { Token } from '@lumino/coreutils';

import { ISignal } from '@lumino/signaling';

import type { ICheckOptions } from './api';

import type { IKernelEntry, ModelChange, ModelState } from './model';

import type { KernelSessionTracker } from './tracker';

import type { IReport } from './types';

/**
 * The command ids.
 */
export namespace CommandIDs {
  export const open = 'trusted-identity:open';
  export const refresh = 'trusted-identity:refresh';
  export const recheckKernel = 'trusted-identity:recheck-kernel';
  export const copySummary = 'trusted-identity:copy-summary';
  export const downloadAudit = 'trusted-identity:download-audit';
  export const verifyCloudTrail = 'trusted-identity:verify-cloudtrail';
}

/**
 * The id of the side panel (its DOM id and its name in the layout restorer).
 */
export const PANEL_ID = 'jupyterlab-trusted-identity';

/**
 * What another extension may read of the trusted identity model: the
 * reports as the server sends them (docs/rest-api.yml), their changes, and
 * an explicit refresh.
 */
export interface ITrustedIdentityModel {
  /**
   * Emitted when anything shown changes.
   */
  readonly changed: ISignal<ITrustedIdentityModel, ModelChange>;
  /**
   * The reason-coded state; only `ready` has a server report.
   */
  readonly state: ModelState;
  /**
   * The latest report of the space (server), or `null`.
   */
  readonly report: IReport | null;
  /**
   * What the model knows of each kernel, by kernel id.
   */
  readonly kernels: ReadonlyMap<string, IKernelEntry>;
  /**
   * Check the space again (bypassing the server's caches, within its rate
   * limit) and read the kernel reports again.
   */
  refresh(options?: ICheckOptions): Promise<void>;
}

/**
 * The token of the trusted identity model. The extension's own plugins
 * receive the `TrustedIdentityModel` behind it (src/model/model.ts) and use
 * more of it than this interface promises to other extensions.
 */
export const ITrustedIdentityModel = new Token<ITrustedIdentityModel>(
  'jupyterlab-trusted-identity:ITrustedIdentityModel',
  'The reports of trusted identity propagation of the space and its kernels.'
);

/**
 * The kernel tracker: the notebooks and consoles followed by the kernel
 * hook, their kernels and the current one (the status bar item, the panel's
 * sessions, the commands on the current kernel).
 */
export type IKernelSessionTracker = KernelSessionTracker;

/**
 * The token of the kernel tracker.
 */
export const IKernelSessionTracker = new Token<IKernelSessionTracker>(
  'jupyterlab-trusted-identity:IKernelSessionTracker',
  'The notebooks and consoles whose kernels the trusted identity extension checks.'
);
