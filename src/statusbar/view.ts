/**
 * What the status bar item shows, derived from the model: the current
 * notebook's (or console's) kernel, else the space (server), else the state
 * of the model. A pure function of the model's data, tested as one.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { kernelCause } from '../verdict';

import { verdictLabel } from '../labels/verdicts';

import type { ITrustedIdentityModel } from '../tokens';

import { Tone, verdictTone } from '../tones';

import type { ITrackedSession } from '../tracker';

import { defaultTrans } from '../translation';

import { IReport } from '../types';

/**
 * What the status bar item shows.
 */
export interface IStatusView {
  tone: Tone;
  text: string;
  tooltip: string;
  /**
   * The verdict shown, or the state without one (`checking`, a model state).
   */
  verdict: string;
  scope: 'kernel' | 'server' | 'none';
}

/**
 * What of the model the status bar reads.
 */
export type StatusModel = Pick<
  ITrustedIdentityModel,
  'state' | 'report' | 'kernels'
>;

/**
 * The verdict's label and, for a propagated identity, the user's short name
 * (as the server chose it) instead.
 */
function shownText(report: IReport, label: string): string {
  const name = report.user.short_name;
  return report.verdict === 'propagated' && name ? name : label;
}

/**
 * The view of the status bar item.
 */
export function statusView(
  model: StatusModel,
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
    const report = model.kernels.get(current.kernelId)?.report ?? null;
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
    const label = verdictLabel(report.verdict, trans);
    const detail =
      report.verdict === 'propagated'
        ? report.summary
        : kernelCause(report, trans);
    return {
      tone: verdictTone(report.verdict),
      text: shownText(report, label),
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
  const label = verdictLabel(report.verdict, trans);
  return {
    tone: verdictTone(report.verdict),
    text: shownText(report, label),
    tooltip: trans.__(
      'Space: %1 — %2\nClick to open the Trusted identity panel.',
      label,
      report.summary
    ),
    verdict: report.verdict,
    scope: 'server'
  };
}
