/**
 * What the panel makes of an access test the user asked for: the model's
 * answer, or why there is none, for the form to show (components never call
 * the server).
 */
import { ServerConnection } from '@jupyterlab/services';

import { TranslationBundle } from '@jupyterlab/translation';

import { accessTestRateLimitedMessage } from '../budget';

import type { AccessTestOutcome } from '../components';

import { defaultTrans } from '../translation';

import type { AccessPermission, IAccessTestResult } from '../types';

/**
 * What runs an access test: the model's `testAccess`.
 */
export type AccessTester = (
  target: string,
  permission: AccessPermission
) => Promise<IAccessTestResult>;

/**
 * Run an access test and say what came of it: the server's answer; its
 * message for input it refused (400), to show next to the input; the
 * rate-limit words (429), an information as for a rate-limited check; or the
 * message of any other failure.
 */
export async function runAccessTest(
  test: AccessTester,
  target: string,
  permission: AccessPermission,
  trans: TranslationBundle = defaultTrans()
): Promise<AccessTestOutcome> {
  try {
    return { kind: 'result', result: await test(target, permission) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const response =
      error instanceof ServerConnection.ResponseError ? error.response : null;
    if (response?.status === 400) {
      return { kind: 'invalid', message };
    }
    if (response?.status === 429) {
      return {
        kind: 'rate-limited',
        message: accessTestRateLimitedMessage(
          retryAfter(response.headers.get('Retry-After')),
          trans
        )
      };
    }
    return { kind: 'failed', message };
  }
}

/**
 * The seconds of a `Retry-After` header (its delay form), or `null`.
 */
function retryAfter(header: string | null): number | null {
  const seconds = Number(header?.trim() || NaN);
  return isFinite(seconds) ? seconds : null;
}
