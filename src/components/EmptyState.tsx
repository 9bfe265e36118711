import { TranslationBundle } from '@jupyterlab/translation';

import * as React from 'react';

import { Tone } from '../tones';

import { defaultTrans } from '../translation';

import { IModelError, ModelState } from '../model';

import { HandshakeResult, installSteps } from '../version';

import { StatusIcon } from './StatusIcon';

/**
 * Properties of `EmptyState`.
 */
export interface IEmptyStateProps {
  /**
   * The model's state (anything but `ready`).
   */
  state: ModelState;
  error: IModelError | null;
  handshake: HandshakeResult | null;
  frontendVersion: string;
  /**
   * Whether a retry is on its way.
   */
  busy?: boolean;
  onRetry?: () => void;
  trans?: TranslationBundle;
}

/**
 * The reason-coded state of a panel without a report: it says why and what
 * to do, never a blank or a bare spinner.
 */
export function EmptyState(props: IEmptyStateProps): JSX.Element {
  const trans = props.trans ?? defaultTrans();
  const { state, error, handshake, frontendVersion } = props;
  let tone: Tone = 'error';
  let reason: string = state;
  let title = '';
  let text = '';
  // Whether the text ends with how to install the matching server extension.
  let withFix = false;
  let retry = true;

  const steps = installSteps(frontendVersion, trans);
  const fix = (
    <>
      <p>{steps.before}</p>
      <pre className="jp-TrustedIdentity-command">
        <code>{steps.command}</code>
      </pre>
      <p>{steps.after}</p>
    </>
  );

  switch (state) {
    case 'loading':
      tone = 'pending';
      retry = false;
      title = trans.__('Checking whether your identity is propagated…');
      text = trans.__(
        'The server asks AWS which identity this space carries; the first check takes a few seconds.'
      );
      break;
    case 'server-missing':
      title = trans.__('The trusted identity server extension is missing');
      text = trans.__(
        'The JupyterLab server does not answer the trusted identity requests: its Python package is not installed, not enabled, or failed to load (see the server log).'
      );
      withFix = true;
      break;
    case 'version-mismatch': {
      const server = handshake && !handshake.ok ? handshake.server : null;
      title = trans.__('The server extension is of another version');
      text = trans.__(
        'Server extension %1 (REST schema %2), frontend %3.',
        server?.version ?? '?',
        server?.schema_version ?? '?',
        frontendVersion
      );
      withFix = true;
      break;
    }
    case 'disconnected': {
      const timedOut = error?.reason === 'timeout';
      tone = 'warn';
      reason = timedOut ? 'timeout' : 'disconnected';
      title = timedOut
        ? trans.__('The JupyterLab server did not answer in time')
        : trans.__('The JupyterLab server cannot be reached');
      text = trans.__(
        'The identity is checked again automatically once the server answers.'
      );
      break;
    }
    default:
      if (error?.reason === 'forbidden') {
        reason = 'forbidden';
        title = trans.__('JupyterLab refused the request');
        text = trans.__(
          'Your JupyterLab session may have expired. Reload the page (and sign in again) to continue.'
        );
      } else {
        reason = 'request-failed';
        title = trans.__('The identity check failed');
        text = trans.__(
          'The server extension answered with an error; the server log has details.'
        );
      }
  }

  return (
    <div
      className={`jp-TrustedIdentity-empty jp-mod-${tone}`}
      data-reason={reason}
      role={state === 'loading' ? 'status' : 'alert'}
      aria-live={state === 'loading' ? 'polite' : undefined}
    >
      <div className="jp-TrustedIdentity-emptyTitle">
        <StatusIcon tone={tone} label="" />
        <span>{title}</span>
      </div>
      <div className="jp-TrustedIdentity-emptyBody">
        <p>{text}</p>
        {withFix && fix}
        {error?.message && state !== 'loading' && (
          <p className="jp-TrustedIdentity-muted">
            {trans.__('Details: %1', error.message)}
          </p>
        )}
      </div>
      {retry && props.onRetry && (
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-accept jp-TrustedIdentity-retry"
          onClick={props.onRetry}
          disabled={props.busy}
        >
          {props.busy ? trans.__('Retrying…') : trans.__('Retry')}
        </button>
      )}
    </div>
  );
}
