import { TranslationBundle } from '@jupyterlab/translation';

import * as React from 'react';

import { groupChecks } from '../checks';

import {
  evidenceLabels,
  groupLabel,
  proofSourceLabel,
  statusLabels
} from '../labels';

import { statusTone } from '../tones';

import { defaultTrans } from '../translation';

import { statusIcon } from '../checkIcons';

import { CheckStatus, EvidenceTier, ICheck } from '../types';

import { DocLink } from './DocLink';

import { StatusIcon } from './StatusIcon';

/**
 * Properties of `ChecksList`.
 */
export interface IChecksListProps {
  checks: ReadonlyArray<ICheck>;
  trans?: TranslationBundle;
}

/**
 * The labels of the checks' values, built once per list.
 */
interface ICheckLabels {
  statuses: Record<CheckStatus, string>;
  evidence: Record<EvidenceTier, string>;
}

/**
 * One check: its status, title and, unfolded, its detail, what to do and a
 * documentation link. Failed and unknown checks are unfolded. The title,
 * detail and remediation are the server's words: the Python checks own them
 * (a command line prints the same), so the frontend keeps no copy.
 */
function CheckItem(props: {
  check: ICheck;
  labels: ICheckLabels;
  trans: TranslationBundle;
}): JSX.Element {
  const { check, labels, trans } = props;
  const open = check.status === 'fail' || check.status === 'unknown';
  const status = (value: CheckStatus) => labels.statuses[value] ?? value;
  const label = status(check.status);
  return (
    <li
      className={`jp-TrustedIdentity-check jp-mod-${check.status}`}
      data-check-id={check.id}
      data-status={check.status}
    >
      <details open={open}>
        <summary>
          <StatusIcon
            tone={statusTone(check.status)}
            icon={statusIcon(check.status)}
            label={label}
          />
          <span className="jp-TrustedIdentity-checkTitle">{check.title}</span>
          {!check.required && (
            <span className="jp-TrustedIdentity-tag">
              {trans.__('optional')}
            </span>
          )}
        </summary>
        <div className="jp-TrustedIdentity-checkBody">
          {check.detail && <p>{check.detail}</p>}
          {check.settled_by && check.read_status && (
            <p className="jp-TrustedIdentity-settled">
              {trans.__(
                'Read alone, this check is “%1”; the proof of the session from %2 outranks the reading.',
                status(check.read_status),
                proofSourceLabel(check.settled_by, trans)
              )}
            </p>
          )}
          {check.remediation && (
            <p className="jp-TrustedIdentity-remediation">
              <strong>{trans.__('What to do:')}</strong> {check.remediation}
            </p>
          )}
          {check.iam_action && (
            <p className="jp-TrustedIdentity-muted">
              {trans.__('IAM action: ')}
              <code>{check.iam_action}</code>
              {check.error_code && (
                <> {trans.__('(AWS error %1)', check.error_code)}</>
              )}
            </p>
          )}
          <p className="jp-TrustedIdentity-checkFooter">
            <code className="jp-TrustedIdentity-muted">{check.id}</code>
            {check.evidence && (
              <span
                className="jp-TrustedIdentity-muted"
                data-evidence={check.evidence}
              >
                {labels.evidence[check.evidence] ?? check.evidence}
              </span>
            )}
            {check.doc_url && (
              <DocLink href={check.doc_url}>
                {trans.__('Documentation')}
              </DocLink>
            )}
          </p>
        </div>
      </details>
    </li>
  );
}

/**
 * The checks grouped (credentials, Studio, identity, services, kernel),
 * failed and unknown first.
 */
export function ChecksList(props: IChecksListProps): JSX.Element {
  const trans = props.trans ?? defaultTrans();
  const groups = groupChecks(props.checks);
  const labels: ICheckLabels = {
    statuses: statusLabels(trans),
    evidence: evidenceLabels(trans)
  };
  if (!groups.length) {
    return (
      <p className="jp-TrustedIdentity-muted jp-TrustedIdentity-note">
        {trans.__('The report has no checks.')}
      </p>
    );
  }
  return (
    <div className="jp-TrustedIdentity-section jp-TrustedIdentity-checks">
      {groups.map(group => {
        const failed = group.checks.filter(
          check => check.status === 'fail'
        ).length;
        const unknown = group.checks.filter(
          check => check.status === 'unknown'
        ).length;
        const headingId = `jp-TrustedIdentity-group-${group.group}`;
        return (
          <section
            key={group.group}
            className="jp-TrustedIdentity-checkGroup"
            data-group={group.group}
            aria-labelledby={headingId}
          >
            <div className="jp-TrustedIdentity-subheading">
              <h3 id={headingId}>{groupLabel(group.group, trans)}</h3>
              <span className="jp-TrustedIdentity-muted">
                {failed || unknown
                  ? [
                      failed ? trans._n('%1 failed', '%1 failed', failed) : '',
                      unknown
                        ? trans._n('%1 unknown', '%1 unknown', unknown)
                        : ''
                    ]
                      .filter(Boolean)
                      .join(', ')
                  : trans._n('%1 check', '%1 checks', group.checks.length)}
              </span>
            </div>
            <ul className="jp-TrustedIdentity-checkList">
              {group.checks.map(check => (
                <CheckItem
                  key={check.id}
                  check={check}
                  labels={labels}
                  trans={trans}
                />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
