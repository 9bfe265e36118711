/**
 * The notifications of the extension that follow the model: a rate-limited
 * explicit check. (The kernel-launch and handshake notifications are wired in
 * src/plugins/ with words from verdict.ts and version.ts.) The words
 * (budget.ts) load with the first rate-limited answer, not at start-up.
 */
import { Notification } from '@jupyterlab/apputils';

import { TranslationBundle } from '@jupyterlab/translation';

import { DisposableDelegate, IDisposable } from '@lumino/disposable';

import { defaultTrans } from './translation';

import { IExplicitCheckAnswer, TrustedIdentityModel } from './model';

/**
 * How long the rate-limit notification stays, in milliseconds.
 */
const RATE_LIMITED_AUTO_CLOSE = 8000;

/**
 * Tell the user (an info notification, never an error) when one of their
 * explicit checks came back rate limited. Checks in a row update the same
 * notification instead of stacking new ones.
 *
 * @returns What disconnects it from the model.
 */
export function notifyRateLimited(
  model: TrustedIdentityModel,
  trans: TranslationBundle = defaultTrans()
): IDisposable {
  let shown: string | null = null;
  const onChecked = (
    _: TrustedIdentityModel,
    answer: IExplicitCheckAnswer
  ): void => {
    const budget = answer.report.budget;
    if (budget?.explicit_check !== 'rate_limited') {
      return;
    }
    void import(/* webpackChunkName: "lazy" */ './budget').then(
      ({ rateLimitedMessage }) => {
        const message = rateLimitedMessage(budget, trans);
        if (!message) {
          return;
        }
        const options = { autoClose: RATE_LIMITED_AUTO_CLOSE };
        if (
          shown !== null &&
          Notification.update({ id: shown, message, type: 'info', ...options })
        ) {
          return;
        }
        shown = Notification.info(message, options);
      }
    );
  };
  model.explicitChecked.connect(onChecked);
  return new DisposableDelegate(() => {
    model.explicitChecked.disconnect(onChecked);
  });
}
