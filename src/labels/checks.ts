/**
 * The labels of a check's values: its status, its group, the rank of the
 * evidence it rests on.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { defaultTrans } from '../translation';

import { CheckGroup, CheckStatus, EvidenceTier } from '../types';

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
    kernel: trans.__('Kernel'),
    audit: trans.__('Audit trail')
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
 * The label of the evidence a check rests on.
 */
export function evidenceLabel(
  tier: EvidenceTier,
  trans: TranslationBundle = defaultTrans()
): string {
  return evidenceLabels(trans)[tier] ?? String(tier);
}
