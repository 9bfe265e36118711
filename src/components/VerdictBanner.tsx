import { TranslationBundle } from '@jupyterlab/translation';

import * as React from 'react';

import { proofSourceLabel, userBadge } from '../labels';

import { formatTime } from '../time';

import { verdictTone } from '../tones';

import { defaultTrans } from '../translation';

import { verdictWords } from '../verdictWords';

import { IModelError } from '../model';

import { IReport } from '../types';

import { DocLink } from './DocLink';

import { StatusIcon } from './StatusIcon';

/**
 * Properties of `VerdictBanner`.
 */
export interface IVerdictBannerProps {
  report: IReport;
  /**
   * The failure of the latest refresh, if it failed (the report is stale).
   */
  error?: IModelError | null;
  /**
   * When the report was received (ms since the epoch).
   */
  updatedAt?: number;
  /**
   * Whether a refresh is on its way.
   */
  refreshing?: boolean;
  /**
   * Names of the running kernels whose identity is not propagated.
   */
  kernelsWithout?: ReadonlyArray<string>;
  trans?: TranslationBundle;
}

/**
 * The verdict of the space in words a data scientist understands: whether
 * the identity is propagated and, if not, what is wrong and the one thing to
 * do. A polite live region: screen readers hear changes.
 */
export function VerdictBanner(props: IVerdictBannerProps): JSX.Element {
  const trans = props.trans ?? defaultTrans();
  const { report, error } = props;
  const words = verdictWords(report, trans);
  const badge = userBadge(report.user, trans);
  const tone = verdictTone(report.verdict);
  // When the shown report is from, for a stale-report note.
  const reportTime = formatTime(props.updatedAt || report.generated_at);
  return (
    <div
      className={`jp-TrustedIdentity-banner jp-mod-${tone}${
        words.contradiction ? ' jp-mod-contradiction' : ''
      }`}
      data-verdict={report.verdict}
      data-cause={report.cause ?? ''}
      role="status"
      aria-live="polite"
      aria-atomic="true"
    >
      <StatusIcon
        tone={tone}
        label=""
        className="jp-TrustedIdentity-bannerIcon"
      />
      <div className="jp-TrustedIdentity-bannerText">
        <p className="jp-TrustedIdentity-bannerTitle">{words.title}</p>
        {words.contradiction && (
          <p className="jp-TrustedIdentity-bannerContradiction">
            {trans.__(
              'The evidence disagrees: the verdict follows %1, which outranks what the configuration reads say.',
              proofSourceLabel(report.evidence?.proof?.source, trans)
            )}
          </p>
        )}
        {words.cause && (
          <p className="jp-TrustedIdentity-bannerCause">{words.cause}</p>
        )}
        {words.action && (
          <p className="jp-TrustedIdentity-bannerAction">
            <strong>{trans.__('What to do:')}</strong> {words.action}
            {words.docUrl && (
              <>
                {' '}
                <DocLink href={words.docUrl}>{trans.__('Learn more')}</DocLink>
              </>
            )}
          </p>
        )}
        <p className="jp-TrustedIdentity-bannerMeta">
          <span
            className={`jp-TrustedIdentity-badge jp-mod-${badge.kind}`}
            title={badge.description}
          >
            {trans.__('Identity: %1', badge.label)}
          </span>
          <span className="jp-TrustedIdentity-muted">{trans.__('Space')}</span>
          <span className="jp-TrustedIdentity-muted">
            {props.refreshing
              ? trans.__('Checking…')
              : trans.__('Checked at %1', formatTime(report.generated_at))}
          </span>
        </p>
        {props.kernelsWithout && props.kernelsWithout.length > 0 && (
          <p className="jp-TrustedIdentity-bannerKernels">
            <StatusIcon tone="error" label="" />
            <span>
              {trans._n(
                '%2 runs without your identity (see Sessions).',
                '%1 kernels run without your identity: %2 (see Sessions).',
                props.kernelsWithout.length,
                props.kernelsWithout.join(', ')
              )}
            </span>
          </p>
        )}
        {error && (
          <p className="jp-TrustedIdentity-stale" data-reason={error.reason}>
            {error.reason === 'network' || error.reason === 'timeout'
              ? trans.__(
                  'The server cannot be reached; this report is from %1.',
                  reportTime
                )
              : trans.__(
                  'The latest refresh failed (%1); this report is from %2.',
                  error.message,
                  reportTime
                )}
          </p>
        )}
      </div>
    </div>
  );
}
