/**
 * The words of the reports, gathered for the modules that import them from
 * here. Each lives in the module that says what it holds; import from that
 * module in new code (a start-up module that imports this one pulls in all
 * of them):
 *
 * - translation.ts: TRANSLATION_DOMAIN, defaultTrans
 * - labels.ts: the label maps of verdicts, statuses, groups, provenances,
 *   evidence tiers, credential sources and probe results
 * - tones.ts: the tone of a verdict and of a check status
 * - checks.ts: the order of the checks shown
 * - verdictWords.ts: the verdict banner's words (the panel's)
 * - verdict.ts: the check the server names as the cause, a kernel's cause,
 *   which verdicts are notified, the notification (start-up)
 * - time.ts: remaining time and times in the user's locale
 * - text.ts: a document's name from its path, a shortened sentence
 * - summary.ts: the clipboard summary
 */
export { defaultTrans, TRANSLATION_DOMAIN } from './translation';

export {
  credentialSourceLabel,
  credentialSourceLabels,
  evidenceLabel,
  evidenceLabels,
  groupLabel,
  groupLabels,
  probeLabel,
  probeSentences,
  provenanceDescription,
  provenanceDescriptions,
  provenanceLabel,
  provenanceLabels,
  statusLabel,
  statusLabels,
  verdictLabel,
  verdictLabels
} from './labels';

export { STATUS_TONES, statusTone, VERDICT_TONES, verdictTone } from './tones';

export { checkGroup, GROUP_ORDER, groupChecks, statusRank } from './checks';

export {
  CONTRADICTION_CHECK,
  verdictTitles,
  verdictWords
} from './verdictWords';

export { kernelCause, notificationText, shouldNotify } from './verdict';

export { formatRemaining, formatTime } from './time';

export { baseName, truncate } from './text';

export { identitySummary } from './summary';

export type { KnownCredentialSource } from './labels';

export type { Tone } from './tones';

export type { ICheckGroupView } from './checks';

export type { IVerdictWords } from './verdictWords';

export type { NotifiedVerdict } from './verdict';

export type { ISummaryKernel } from './summary';
