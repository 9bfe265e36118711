import { TranslationBundle } from '@jupyterlab/translation';

import { Poll } from '@lumino/polling';

import * as React from 'react';

import { formatRemaining, formatTime } from '../time';

import { defaultTrans } from '../translation';

import { StatusIcon } from './StatusIcon';

/**
 * Properties of `ExpiryCountdown`.
 */
export interface IExpiryCountdownProps {
  /**
   * When the credentials expire (ISO time), or `null`.
   */
  expiresAt: string | null;
  /**
   * Warn inside this many minutes before the expiry (0: never).
   */
  warningMinutes: number;
  trans?: TranslationBundle;
  /**
   * The clock (tests).
   */
  now?: () => number;
  /**
   * Milliseconds between two updates (default 1000).
   */
  interval?: number;
}

/**
 * The credentials' expiry with a live countdown, and a warning inside the
 * configured window. It ticks with a lumino `Poll` (standing by while the
 * page is hidden), not `setInterval`.
 */
export function ExpiryCountdown(props: IExpiryCountdownProps): JSX.Element {
  const trans = props.trans ?? defaultTrans();
  const clock = props.now ?? Date.now;
  const [now, setNow] = React.useState(clock());
  const expires = props.expiresAt ? Date.parse(props.expiresAt) : NaN;
  const known = !isNaN(expires);

  React.useEffect(() => {
    if (!known) {
      return;
    }
    const poll = new Poll({
      auto: true,
      factory: async () => {
        setNow(clock());
      },
      frequency: { interval: props.interval ?? 1000, backoff: false },
      name: 'jupyterlab-trusted-identity:countdown',
      standby: 'when-hidden'
    });
    return () => {
      poll.dispose();
    };
  }, [known, props.interval]);

  if (!known) {
    return (
      <span className="jp-TrustedIdentity-muted">{trans.__('Not known')}</span>
    );
  }
  const remaining = expires - now;
  const expired = remaining <= 0;
  const warning =
    !expired &&
    props.warningMinutes > 0 &&
    remaining <= props.warningMinutes * 60_000;
  const tone = expired ? 'error' : warning ? 'warn' : null;
  return (
    <span
      className={`jp-TrustedIdentity-expiry${tone ? ` jp-mod-${tone}` : ''}`}
      data-state={expired ? 'expired' : warning ? 'warning' : 'ok'}
      title={props.expiresAt ?? ''}
    >
      {tone && <StatusIcon tone={tone} label="" />}
      <span>
        {formatRemaining(expires, now, trans)}{' '}
        <span className="jp-TrustedIdentity-muted">
          ({formatTime(expires)})
        </span>
      </span>
      {warning && (
        <span className="jp-TrustedIdentity-expiryNote">
          {trans.__('Expires soon')}
        </span>
      )}
    </span>
  );
}
