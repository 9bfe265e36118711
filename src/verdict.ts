/**
 * A kernel's verdict in a few words, for what runs at start-up: its cause
 * (a notification, a sessions row, the status bar's tooltip) and which
 * verdicts the user is notified of when a kernel starts (the notification's
 * text is notices.ts's, loaded when one is due). The server decides the
 * verdict and its cause (`report.cause`).
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { truncate } from './text';

import { defaultTrans } from './translation';

import { ICheck, IReport, Verdict } from './types';

/**
 * The check that explains a verdict, as the server chose it (`report.cause`):
 * the server weighs the evidence, so it alone decides what the banner says.
 */
export function causeOf(report: IReport): ICheck | null {
  return report.checks.find(check => check.id === report.cause) ?? null;
}

/**
 * The cause of a kernel's verdict in a few words, for a notification, a
 * table row or the status bar's tooltip.
 */
export function kernelCause(
  report: IReport,
  trans: TranslationBundle = defaultTrans()
): string {
  const overridden = report.credentials?.overridden_by ?? [];
  if (overridden.length) {
    return trans._n(
      '%2 in its environment overrides the space credentials',
      '%2 in its environment override the space credentials',
      overridden.length,
      overridden.join(', ')
    );
  }
  const cause = causeOf(report);
  return truncate(cause?.detail || report.summary, 110);
}

/**
 * The verdicts of a kernel the user is told about when it starts.
 */
export type NotifiedVerdict =
  'not_propagated' | 'no_credentials' | 'invalid_credentials';

/**
 * Whether each verdict warrants a notification at a kernel's launch.
 */
const NOTIFIED: Readonly<Record<Verdict, boolean>> = {
  propagated: false,
  not_propagated: true,
  unknown: false,
  no_credentials: true,
  invalid_credentials: true,
  outside_studio: false
};

/**
 * Whether a kernel verdict warrants a notification at launch.
 */
export function shouldNotify(verdict: Verdict): verdict is NotifiedVerdict {
  return NOTIFIED[verdict] === true;
}
