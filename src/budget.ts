/**
 * The extension's AWS call budget as the user meets it: an explicit check
 * the server served from what it knows (rate limited), the calls AWS
 * throttles, and when CloudTrail is asked next. Every call of the extension
 * is multiplied by the fleet and lands on account-wide quotas, so the server
 * asks less often; these words say so instead of leaving it unexplained.
 * Pure: every string goes through the translation bundle.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { formatTime } from './time';

import { defaultTrans } from './translation';

import { IReport, IReportBudget, IReportVerification } from './types';

/**
 * What to tell the user after an explicit check the server rate-limited
 * (`budget.explicit_check == "rate_limited"`), or `null` when AWS was asked.
 */
export function rateLimitedMessage(
  budget: IReportBudget | null | undefined,
  trans: TranslationBundle = defaultTrans()
): string | null {
  if (budget?.explicit_check !== 'rate_limited') {
    return null;
  }
  const seconds = budget.retry_after_seconds;
  if (typeof seconds !== 'number' || !isFinite(seconds) || seconds <= 0) {
    return trans.__(
      'AWS was asked moments ago, so this check shows what is already known. The next check can ask AWS again shortly.'
    );
  }
  return trans._n(
    'AWS was asked moments ago, so this check shows what is already known. The next check can ask AWS again in %1 second.',
    'AWS was asked moments ago, so this check shows what is already known. The next check can ask AWS again in %1 seconds.',
    Math.ceil(seconds)
  );
}

/**
 * What to tell the user when the server refused an access test because tests
 * came too fast (429), with the seconds of its `Retry-After` when known. An
 * information, as for a rate-limited check: nothing failed.
 */
export function accessTestRateLimitedMessage(
  retryAfterSeconds: number | null,
  trans: TranslationBundle = defaultTrans()
): string {
  const seconds = retryAfterSeconds;
  if (typeof seconds !== 'number' || !isFinite(seconds) || seconds <= 0) {
    return trans.__(
      'Access tests came too fast, so S3 Access Grants was not asked. You can test again shortly.'
    );
  }
  return trans._n(
    'Access tests came too fast, so S3 Access Grants was not asked. You can test again in %1 second.',
    'Access tests came too fast, so S3 Access Grants was not asked. You can test again in %1 seconds.',
    Math.ceil(seconds)
  );
}

/**
 * The IAM actions AWS throttles for this account, according to a report.
 */
export function throttledActions(report: IReport | null | undefined): string[] {
  const throttled = report?.budget?.throttled;
  return Array.isArray(throttled) ? throttled.filter(Boolean) : [];
}

/**
 * The note shown while AWS throttles this account's calls, or `null`.
 */
export function throttledText(
  actions: ReadonlyArray<string>,
  trans: TranslationBundle = defaultTrans()
): string | null {
  if (!actions.length) {
    return null;
  }
  return trans.__(
    "AWS is throttling this account's calls (%1). The extension asks less often until it stops.",
    actions.join(', ')
  );
}

/**
 * When CloudTrail is asked next about the session ("CloudTrail is asked
 * again at 14:05"), in the user's locale; `null` when no lookup is scheduled.
 */
export function nextLookupText(
  verification: IReportVerification | null | undefined,
  trans: TranslationBundle = defaultTrans()
): string | null {
  const time = knownTime(verification?.next_lookup_at);
  return time === null
    ? null
    : trans.__('CloudTrail is asked again at %1.', time);
}

/**
 * When CloudTrail was last asked about the session, or `null`.
 */
export function lastLookupText(
  verification: IReportVerification | null | undefined,
  trans: TranslationBundle = defaultTrans()
): string | null {
  const time = knownTime(verification?.looked_up_at);
  return time === null
    ? null
    : trans.__('CloudTrail was last asked at %1.', time);
}

/**
 * A server time in the user's locale, or `null` when there is none or it
 * cannot be read.
 */
function knownTime(at: string | null | undefined): string | null {
  return at && !isNaN(Date.parse(at)) ? formatTime(at) : null;
}
