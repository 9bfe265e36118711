/**
 * A kernel's verdict in a few words, for what runs at start-up: its cause
 * (a notification, a sessions row, the status bar's tooltip), which verdicts
 * the user is notified of when a kernel starts, and the notification's text.
 * The server decides the verdict and its cause (`report.cause`).
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { baseName, truncate } from './text';

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

/**
 * The notification of each notified verdict, for the kernel's document
 * (`%1`) and its cause (`%2`).
 */
function notificationSentences(
  name: string,
  cause: string,
  trans: TranslationBundle
): Record<NotifiedVerdict, string> {
  return {
    not_propagated: trans.__(
      'The kernel of %1 runs without your identity: %2',
      name,
      cause
    ),
    no_credentials: trans.__(
      'The kernel of %1 has no AWS credentials: %2',
      name,
      cause
    ),
    invalid_credentials: trans.__(
      'AWS rejects the credentials of the kernel of %1: %2',
      name,
      cause
    )
  };
}

/**
 * The text of the notification of a kernel that started without the
 * propagated identity.
 */
export function notificationText(
  report: IReport,
  documentName: string | null,
  trans: TranslationBundle = defaultTrans()
): string {
  const name =
    documentName ||
    baseName(report.scope.session_path) ||
    report.scope.kernel_name ||
    trans.__('a kernel');
  const sentences = notificationSentences(
    name,
    kernelCause(report, trans),
    trans
  );
  return shouldNotify(report.verdict)
    ? sentences[report.verdict]
    : sentences.not_propagated;
}
