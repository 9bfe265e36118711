import { TranslationBundle } from '@jupyterlab/translation';

import * as React from 'react';

import { Tone } from '../tones';

import { DocLink } from './DocLink';

import { StatusIcon } from './StatusIcon';

/**
 * What the services section shows of one state the server read (a service's
 * integration, S3 Access Grants' grants): its tone and label, and the
 * server's words.
 */
export interface IServiceStateView {
  state: string;
  tone: Tone;
  label: string;
  title: string;
  detail: string;
  remediation: string | null;
  docUrl: string;
  /**
   * The IAM action to allow, and AWS's error code, when the state cannot be
   * told (`unknown`); else `null`.
   */
  iamAction: string | null;
  errorCode: string | null;
}

/**
 * Properties of `ServiceState`.
 */
export interface IServiceStateProps {
  view: IServiceStateView;
  /**
   * Which read it is (`integration`, `grants`): its `data-part`.
   */
  name: string;
  trans: TranslationBundle;
  /**
   * What follows the server's detail: the grants, the resources.
   */
  children?: React.ReactNode;
}

/**
 * One state the server read: its icon and label, the server's title,
 * detail, remediation and documentation link, and the IAM action to allow
 * when it cannot be told.
 */
export function ServiceState(props: IServiceStateProps): JSX.Element {
  const { view, trans } = props;
  return (
    <div
      className={`jp-TrustedIdentity-serviceState jp-mod-${view.tone}`}
      data-part={props.name}
      data-state={view.state}
    >
      <p className="jp-TrustedIdentity-serviceStateTitle">
        <StatusIcon tone={view.tone} label={view.label} />
        <span>{view.title}</span>
      </p>
      <div className="jp-TrustedIdentity-checkBody">
        {view.detail && <p>{view.detail}</p>}
        {props.children}
        {view.remediation && (
          <p className="jp-TrustedIdentity-remediation">
            <strong>{trans.__('What to do:')}</strong> {view.remediation}
          </p>
        )}
        {view.iamAction && (
          <p className="jp-TrustedIdentity-muted" data-iam-action>
            {trans.__('IAM action: ')}
            <code>{view.iamAction}</code>
            {view.errorCode && (
              <> {trans.__('(AWS error %1)', view.errorCode)}</>
            )}
          </p>
        )}
        {view.docUrl && (
          <p className="jp-TrustedIdentity-checkFooter">
            <DocLink href={view.docUrl}>{trans.__('Documentation')}</DocLink>
          </p>
        )}
      </div>
    </div>
  );
}
