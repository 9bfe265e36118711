import { TranslationBundle } from '@jupyterlab/translation';

import * as React from 'react';

import { defaultTrans } from '../translation';

import { IIntegrationView, IntegrationState } from './ServiceIntegration';

import { IServiceStateView, ServiceState } from './ServiceState';

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
  integration: IIntegrationView | null;
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
        <IntegrationState view={view.integration} trans={trans} />
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
