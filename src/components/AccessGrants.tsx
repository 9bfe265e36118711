import { TranslationBundle } from '@jupyterlab/translation';

import * as React from 'react';

import { Tone } from '../tones';

import { defaultTrans } from '../translation';

import { DocLink } from './DocLink';

import { StatusIcon } from './StatusIcon';

/**
 * What the services section shows of one state the server read (an
 * integration, the grants): its tone and label, and the server's words.
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
 * What the services section shows of the grants that apply to the user: in
 * the order S3 Access Grants lists them (the API gives no dates).
 */
export interface IGrantsView extends IServiceStateView {
  count: number | null;
  grants: ReadonlyArray<{ scope: string; permission: string }>;
}

/**
 * What the services section shows of S3 Access Grants.
 */
export interface IAccessGrantsView {
  /**
   * The service's name, as the server words it.
   */
  name: string;
  integration: IServiceStateView | null;
  grants: IGrantsView | null;
  /**
   * Whether the space reads S3 Access Grants (in Studio), so that the
   * access test is offered.
   */
  testable: boolean;
}

/**
 * Properties of `AccessGrants`.
 */
export interface IAccessGrantsProps {
  view: IAccessGrantsView;
  /**
   * What follows the grants: the access test.
   */
  children?: React.ReactNode;
  trans?: TranslationBundle;
}

/**
 * One state the server read: its icon and label, the server's title,
 * detail, remediation and documentation link, and the IAM action to allow
 * when it cannot be told.
 */
export function ServiceState(props: {
  view: IServiceStateView;
  name: string;
  trans: TranslationBundle;
  children?: React.ReactNode;
}): JSX.Element {
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

/**
 * S3 Access Grants as the space's session reads it: whether its IAM Identity
 * Center integration is on the domain's instance, and the grants that apply
 * to the user with their scope and permission, in the order S3 Access Grants
 * lists them. Every sentence is the server's.
 */
export function AccessGrants(props: IAccessGrantsProps): JSX.Element {
  const trans = props.trans ?? defaultTrans();
  const { view } = props;
  const grants = view.grants;
  return (
    <section
      className="jp-TrustedIdentity-accessGrants"
      data-service-details="s3-access-grants"
      aria-label={view.name}
    >
      <div className="jp-TrustedIdentity-subheading">
        <h3>{view.name}</h3>
      </div>
      {view.integration && (
        <ServiceState
          view={view.integration}
          name="integration"
          trans={trans}
        />
      )}
      {grants && (
        <ServiceState view={grants} name="grants" trans={trans}>
          {grants.grants.length > 0 && (
            <table className="jp-TrustedIdentity-grants">
              <caption className="jp-TrustedIdentity-muted">
                {trans._n(
                  '%1 grant',
                  '%1 grants',
                  grants.count ?? grants.grants.length
                )}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{trans.__('Scope')}</th>
                  <th scope="col">{trans.__('Permission')}</th>
                </tr>
              </thead>
              <tbody>
                {grants.grants.map((grant, index) => (
                  <tr key={`${index}:${grant.scope}`} data-grant={grant.scope}>
                    <td className="jp-TrustedIdentity-mono">{grant.scope}</td>
                    <td>{grant.permission}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </ServiceState>
      )}
      {props.children}
    </section>
  );
}
