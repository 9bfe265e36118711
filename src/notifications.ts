/**
 * The notifications of the extension that follow the model: a rate-limited
 * explicit check. (The kernel-launch and handshake notifications are wired in
 * src/plugins/.) Only the test whether one is due runs at start-up: the
 * notification and its words (notices.ts, budget.ts) load with the first
 * rate-limited answer.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { DisposableDelegate, IDisposable } from '@lumino/disposable';

import { defaultTrans } from './translation';

import { IExplicitCheckAnswer, TrustedIdentityModel } from './model';

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
    void import(/* webpackChunkName: "lazy" */ './notices').then(
      ({ showRateLimited }) => {
        shown = showRateLimited(budget, trans, shown);
      }
    );
  };
  model.explicitChecked.connect(onChecked);
  return new DisposableDelegate(() => {
    model.explicitChecked.disconnect(onChecked);
  });
}
