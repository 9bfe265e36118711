/**
 * A verdict in words a data scientist understands: the banner's headline,
 * what is wrong and the one thing to do, a kernel's cause in a few words and
 * the notification of a kernel that runs without the identity. The server
 * decides the verdict and its cause (`report.cause`, the check's own detail
 * and remediation); these words only present them.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { causeOf } from './checks';

import { baseName, truncate } from './text';

import { defaultTrans } from './translation';

import { IReport, Provenance, Verdict } from './types';

/**
 * The headline and the one thing to do for a report.
 */
export interface IVerdictWords {
  title: string;
  /**
   * What is wrong (or what is reassuring), or ''.
   */
  cause: string;
  /**
   * The one thing to do, or ''.
   */
  action: string;
  /**
   * A documentation link for the action, or ''.
   */
  docUrl: string;
  /**
   * Whether the cause is a contradiction between CloudTrail's proof and
   * what a configuration read says (the verdict follows the proof).
   */
  contradiction: boolean;
}

/**
 * The id of the finding the server reports when its evidence disagrees.
 */
export const CONTRADICTION_CHECK = 'evidence.consistent';

/**
 * The banner's headline of each verdict, for the user the server named.
 */
export function verdictTitles(
  shownName: string | null,
  trans: TranslationBundle
): Record<Verdict, string> {
  return {
    propagated: shownName
      ? trans.__(
          'Your identity, %1, is propagated to connected AWS services',
          shownName
        )
      : trans.__('Your identity is propagated to connected AWS services'),
    not_propagated: trans.__('Your identity is not propagated to AWS'),
    unknown: trans.__('Could not confirm that your identity is propagated'),
    no_credentials: trans.__('No AWS credentials are available'),
    invalid_credentials: trans.__("AWS rejects this space's credentials"),
    outside_studio: trans.__('Not running in a SageMaker Studio space')
  };
}

/**
 * What a propagated identity's banner says about where the user comes from:
 * nothing when CloudTrail confirmed it.
 */
function unconfirmedUserNotes(
  trans: TranslationBundle
): Record<Provenance, string> {
  return {
    cloudtrail: '',
    profile: trans.__(
      "The user comes from the space's user profile; CloudTrail has not confirmed it yet."
    ),
    none: trans.__(
      'The session carries an identity, but the server could not tell which user it is.'
    )
  };
}

/**
 * The words of the verdict banner of the space's (server's) report.
 */
export function verdictWords(
  report: IReport,
  trans: TranslationBundle = defaultTrans()
): IVerdictWords {
  const cause = causeOf(report);
  const contradiction = cause?.id === CONTRADICTION_CHECK;
  let text = cause?.detail ?? '';
  if (report.verdict === 'propagated' && !contradiction) {
    const notes = unconfirmedUserNotes(trans);
    text = (notes[report.user.provenance] ?? notes.none) || text;
  } else if (report.verdict === 'outside_studio') {
    text = trans.__(
      'Trusted identity propagation applies to Studio private spaces; only the AWS caller can be shown here.'
    );
  }
  if (!text && report.verdict !== 'propagated') {
    text = report.summary;
  }
  return {
    title:
      verdictTitles(report.user.shown_name, trans)[report.verdict] ??
      report.summary,
    cause: text,
    action: cause?.remediation ?? '',
    docUrl: cause?.doc_url ?? '',
    contradiction
  };
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
