/**
 * The labels of where the identity comes from: the user's provenance and
 * botocore's credential provider.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { defaultTrans } from '../translation';

import { IReportUser, Provenance } from '../types';

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
 * The sources of first-hand proof that a session acts for a user, by the
 * IAM action the server names them with (`user.proven_by`, a settled check's
 * `settled_by`, `evidence.proof.source`).
 */
export type ProofSource = 'cloudtrail:LookupEvents' | 's3:GetDataAccess';

/**
 * The name of each source of proof, in sentences.
 */
export function proofSourceLabels(
  trans: TranslationBundle
): Record<ProofSource, string> {
  return {
    'cloudtrail:LookupEvents': trans.__('CloudTrail'),
    's3:GetDataAccess': trans.__('S3 Access Grants')
  };
}

/**
 * The name of a source of proof; CloudTrail for a server that names none
 * (before S3 Access Grants could prove anything), an unknown one by its
 * action.
 */
export function proofSourceLabel(
  action: string | null | undefined,
  trans: TranslationBundle = defaultTrans()
): string {
  const labels = proofSourceLabels(trans);
  return labels[(action ?? 'cloudtrail:LookupEvents') as ProofSource] ?? action;
}

/**
 * The badge of the user: where the server got them from, or, while
 * CloudTrail has not named them, the Test access that proved them.
 */
export function userBadge(
  user: Pick<IReportUser, 'provenance' | 'proven_by'>,
  trans: TranslationBundle = defaultTrans()
): { kind: string; label: string; description: string } {
  if (
    user.provenance !== 'cloudtrail' &&
    user.proven_by === 's3:GetDataAccess'
  ) {
    return {
      kind: 'grantee',
      label: trans.__('Seen by S3 Access Grants'),
      description: trans.__(
        'S3 Access Grants named this IAM Identity Center user as the grantee of a Test access with this session: first-hand proof, before CloudTrail delivers.'
      )
    };
  }
  return {
    kind: user.provenance,
    label: provenanceLabel(user.provenance, trans),
    description: provenanceDescription(user.provenance, trans)
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
