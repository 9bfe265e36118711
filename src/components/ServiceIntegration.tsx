import { TranslationBundle } from '@jupyterlab/translation';

import * as React from 'react';

import { Tone } from '../tones';

import { defaultTrans } from '../translation';

import type { IntegrationResourceKind } from '../types';

import { IServiceStateView, ServiceState } from './ServiceState';

import { StatusIcon } from './StatusIcon';

/**
 * What the services section shows of one Identity Center-enabled resource
 * of a service (an Athena workgroup, a Redshift IdC application, an EMR
 * security configuration).
 */
export interface IResourceView {
  name: string;
  /**
   * The IAM Identity Center instance it is on, and that instance's id (the
   * ARN's last segment, what the table shows); `null` when not given.
   */
  instanceArn: string | null;
  instanceId: string | null;
  state: string;
  tone: Tone;
  label: string;
}

/**
 * The resources of one kind, in the server's order (those on the domain's
 * instance first), with the table's caption and name heading.
 */
export interface IResourceGroupView {
  kind: IntegrationResourceKind;
  heading: string;
  caption: string;
  resources: IResourceView[];
}

/**
 * What the services section shows of a service's IAM Identity Center
 * integration: its state, and its Identity Center-enabled resources.
 */
export interface IIntegrationView extends IServiceStateView {
  resources: IResourceGroupView[];
  /**
   * More resources exist than the server read.
   */
  truncated: boolean;
}

/**
 * What the services section shows of one service whose integration the
 * server read (other than S3 Access Grants, which has its grants too).
 */
export interface IServiceIntegrationView {
  id: string;
  /**
   * The service's name, as the server words it.
   */
  name: string;
  integration: IIntegrationView;
}

/**
 * How many resources of a kind a table shows before the user asks for all:
 * a reader may return hundreds (Redshift pages up to 500), and the panel is
 * a side bar.
 */
export const RESOURCE_ROWS_SHOWN = 10;

/**
 * The resources of one kind: a captioned table of their names, the Identity
 * Center instance each is on and whether that is the domain's, the first
 * `RESOURCE_ROWS_SHOWN` until the user shows them all.
 */
export function ResourceTable(props: {
  group: IResourceGroupView;
  trans: TranslationBundle;
}): JSX.Element {
  const { group, trans } = props;
  const [all, setAll] = React.useState(false);
  const id = React.useId();
  const hidden = group.resources.length - RESOURCE_ROWS_SHOWN;
  const shown =
    all || hidden <= 0
      ? group.resources
      : group.resources.slice(0, RESOURCE_ROWS_SHOWN);
  return (
    <>
      <table
        id={id}
        className="jp-TrustedIdentity-grants jp-TrustedIdentity-resources"
        data-resources={group.kind}
      >
        <caption className="jp-TrustedIdentity-muted">{group.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{group.heading}</th>
            <th scope="col">{trans.__('Identity Center instance')}</th>
            <th scope="col">{trans.__('State')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((resource, index) => (
            <tr
              key={`${index}:${resource.name}`}
              data-resource={resource.name}
              data-state={resource.state}
            >
              <th
                scope="row"
                className="jp-TrustedIdentity-mono jp-TrustedIdentity-resourceName"
              >
                {resource.name}
              </th>
              <td
                className="jp-TrustedIdentity-mono"
                title={resource.instanceArn ?? undefined}
              >
                {resource.instanceId ?? trans.__('Not given')}
              </td>
              <td>
                <span className="jp-TrustedIdentity-resourceState">
                  <StatusIcon tone={resource.tone} label="" />
                  {resource.label}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {hidden > 0 && (
        <button
          type="button"
          className="jp-Button jp-mod-minimal jp-TrustedIdentity-showAll"
          aria-controls={id}
          aria-expanded={all}
          onClick={() => setAll(!all)}
        >
          {all
            ? trans.__('Show the first %1', RESOURCE_ROWS_SHOWN)
            : trans._n('Show %1 more', 'Show %1 more', hidden)}
        </button>
      )}
    </>
  );
}

/**
 * A service's integration: its state with the server's words, then a table
 * per kind of its Identity Center-enabled resources, each with the Identity
 * Center instance it is on.
 */
export function IntegrationState(props: {
  view: IIntegrationView;
  trans: TranslationBundle;
}): JSX.Element {
  const { view, trans } = props;
  return (
    <ServiceState view={view} name="integration" trans={trans}>
      {view.resources.map(group => (
        <ResourceTable key={group.kind} group={group} trans={trans} />
      ))}
      {view.truncated && (
        <p className="jp-TrustedIdentity-muted" data-truncated>
          {trans.__('More exist than were read: the list is not complete.')}
        </p>
      )}
    </ServiceState>
  );
}

/**
 * Properties of `ServiceIntegration`.
 */
export interface IServiceIntegrationProps {
  view: IServiceIntegrationView;
  trans?: TranslationBundle;
}

/**
 * One service's IAM Identity Center integration as the space's session
 * reads it: whether it is on the domain's instance, and its Identity
 * Center-enabled resources. Every sentence about the service is the
 * server's.
 */
export function ServiceIntegration(
  props: IServiceIntegrationProps
): JSX.Element {
  const trans = props.trans ?? defaultTrans();
  const { view } = props;
  return (
    <section
      className="jp-TrustedIdentity-serviceIntegration"
      data-service-details={view.id}
      aria-label={view.name}
    >
      <div className="jp-TrustedIdentity-subheading">
        <h3>{view.name}</h3>
      </div>
      <IntegrationState view={view.integration} trans={trans} />
    </section>
  );
}
