/**
 * The verdict banner's words, in words a data scientist understands: the
 * headline, what is wrong and the one thing to do. The server decides the
 * verdict and its cause (`report.cause`, the check's own detail and
 * remediation); these words only present them. Only the panel shows them.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { causeOf } from './verdict';

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
