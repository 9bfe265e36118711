/**
 * The frontend's own labels of the report's values, as maps from every
 * value of a type to its words: the compiler refuses a map that misses a
 * case, so a new verdict, status, group, provenance or evidence tier cannot
 * be shown without a label. Each map is built with the translation bundle;
 * the single-value helpers add what is shown for a value this frontend does
 * not know (a newer server) or for no value yet.
 *
 * What the server words itself (each check's title, detail and remediation,
 * the report's summary) is shown as sent and has no label here.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { defaultTrans } from './translation';

import {
  CheckGroup,
  CheckStatus,
  EvidenceTier,
  IProbeResult,
  Provenance,
  Verdict
} from './types';

/**
 * The short label of each verdict ("Propagated", "Not propagated"...).
 */
export function verdictLabels(
  trans: TranslationBundle
): Record<Verdict, string> {
  return {
    propagated: trans.__('Propagated'),
    not_propagated: trans.__('Not propagated'),
    unknown: trans.__('Unknown'),
    no_credentials: trans.__('No credentials'),
    invalid_credentials: trans.__('Invalid credentials'),
    outside_studio: trans.__('Outside Studio')
  };
}

/**
 * The label of each check status (also the text alternative of its icon).
 */
export function statusLabels(
  trans: TranslationBundle
): Record<CheckStatus, string> {
  return {
    pass: trans.__('Passed'),
    warn: trans.__('Warning'),
    fail: trans.__('Failed'),
    unknown: trans.__('Unknown'),
    skip: trans.__('Skipped')
  };
}

/**
 * The heading of each check group.
 */
export function groupLabels(
  trans: TranslationBundle
): Record<CheckGroup, string> {
  return {
    evidence: trans.__('Evidence'),
    credentials: trans.__('Credentials'),
    studio: trans.__('Studio'),
    identity: trans.__('Identity'),
    services: trans.__('Services'),
    kernel: trans.__('Kernel')
  };
}

/**
 * The label of each provenance of the user.
 */
export function provenanceLabels(
  trans: TranslationBundle
): Record<Provenance, string> {
  return {
    cloudtrail: trans.__('Verified by CloudTrail'),
    profile: trans.__("From the space's user profile"),
    none: trans.__('Unknown')
  };
}

/**
 * What each provenance means, for its tooltip.
 */
export function provenanceDescriptions(
  trans: TranslationBundle
): Record<Provenance, string> {
  return {
    cloudtrail: trans.__(
      'CloudTrail attributes the AWS calls of this session to this IAM Identity Center user.'
    ),
    profile: trans.__(
      "The space owner's user profile names this user; CloudTrail has not confirmed that the session acts for them."
    ),
    none: trans.__('The server could not establish which user this is.')
  };
}

/**
 * The label of each rank of the evidence a check rests on.
 */
export function evidenceLabels(
  trans: TranslationBundle
): Record<EvidenceTier, string> {
  return {
    proof: trans.__('first-hand proof'),
    credentials: trans.__("botocore's credentials"),
    configuration: trans.__('configuration read'),
    local: trans.__('local hint')
  };
}

/**
 * The botocore credential providers the panel names in words (the report's
 * `credentials.source`); another provider is shown by its own name.
 */
export type KnownCredentialSource =
  | 'container-role'
  | 'env'
  | 'shared-credentials-file'
  | 'assume-role'
  | 'assume-role-with-web-identity'
  | 'sso'
  | 'iam-role'
  | 'custom-process';

/**
 * The label of each known botocore credential provider.
 */
export function credentialSourceLabels(
  trans: TranslationBundle
): Record<KnownCredentialSource, string> {
  return {
    'container-role': trans.__('Space container credentials (execution role)'),
    env: trans.__('Environment variables (static keys)'),
    'shared-credentials-file': trans.__('Shared credentials file'),
    'assume-role': trans.__('Role assumed through a profile'),
    'assume-role-with-web-identity': trans.__('Web identity'),
    sso: trans.__('IAM Identity Center profile'),
    'iam-role': trans.__('Instance role'),
    'custom-process': trans.__('Credential process')
  };
}

/**
 * The sentence of each outcome of the probe inside a kernel.
 */
export function probeSentences(
  trans: TranslationBundle
): Record<IProbeResult['status'], (probe: IProbeResult) => string> {
  const unknownError = () => trans.__('unknown error');
  return {
    ok: probe =>
      probe.caller_arn
        ? trans.__(
            'boto3 in the kernel uses %1 credentials (%2) as %3',
            probe.method ?? trans.__('unknown'),
            probe.access_key_id ?? '?',
            probe.caller_arn
          )
        : trans.__(
            'boto3 in the kernel uses %1 credentials (%2); STS did not answer: %3',
            probe.method ?? trans.__('unknown'),
            probe.access_key_id ?? '?',
            probe.error ?? unknownError()
          ),
    'no-credentials': () =>
      trans.__('boto3 in the kernel finds no AWS credentials'),
    'boto3-missing': () => trans.__('boto3 is not installed in the kernel'),
    'unsupported-language': probe =>
      trans.__(
        'Not probed: the kernel language is %1, not Python',
        probe.language || trans.__('unknown')
      ),
    error: probe =>
      trans.__('The probe failed: %1', probe.error ?? unknownError())
  };
}

/**
 * The label of a verdict; "Checking…" while there is none yet.
 */
export function verdictLabel(
  verdict: Verdict | null | undefined,
  trans: TranslationBundle = defaultTrans()
): string {
  return (verdict && verdictLabels(trans)[verdict]) || trans.__('Checking…');
}

/**
 * The label of a check status.
 */
export function statusLabel(
  status: CheckStatus,
  trans: TranslationBundle = defaultTrans()
): string {
  return statusLabels(trans)[status] ?? String(status);
}

/**
 * The heading of a check group (a group this frontend does not know is shown
 * by its id).
 */
export function groupLabel(
  group: string,
  trans: TranslationBundle = defaultTrans()
): string {
  return groupLabels(trans)[group as CheckGroup] ?? group;
}

/**
 * The label of a provenance (no provenance reads as unknown).
 */
export function provenanceLabel(
  provenance: Provenance | null | undefined,
  trans: TranslationBundle = defaultTrans()
): string {
  const labels = provenanceLabels(trans);
  return labels[provenance ?? 'none'] ?? labels.none;
}

/**
 * What a provenance means, for its tooltip.
 */
export function provenanceDescription(
  provenance: Provenance | null | undefined,
  trans: TranslationBundle = defaultTrans()
): string {
  const descriptions = provenanceDescriptions(trans);
  return descriptions[provenance ?? 'none'] ?? descriptions.none;
}

/**
 * The label of the evidence a check rests on.
 */
export function evidenceLabel(
  tier: EvidenceTier,
  trans: TranslationBundle = defaultTrans()
): string {
  return evidenceLabels(trans)[tier] ?? String(tier);
}

/**
 * The label of a botocore credential provider: "None" without one, its own
 * name for a provider this frontend does not know.
 */
export function credentialSourceLabel(
  source: string | null | undefined,
  trans: TranslationBundle = defaultTrans()
): string {
  if (!source) {
    return trans.__('None');
  }
  return (
    credentialSourceLabels(trans)[source as KnownCredentialSource] ?? source
  );
}

/**
 * The sentence of what the probe inside a kernel found.
 */
export function probeLabel(
  probe: IProbeResult,
  trans: TranslationBundle = defaultTrans()
): string {
  const sentences = probeSentences(trans);
  return (sentences[probe.status] ?? sentences.error)(probe);
}
