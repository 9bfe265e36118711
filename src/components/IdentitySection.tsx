import { TranslationBundle } from '@jupyterlab/translation';

import * as React from 'react';

import { lastLookupText, nextLookupText } from '../budget';

import { credentialSourceLabel, userBadge } from '../labels';

import { defaultTrans } from '../translation';

import { IReport } from '../types';

import { ExpiryCountdown } from './ExpiryCountdown';

/**
 * What the identity section reads of a report.
 */
export type IdentityFacts = Pick<
  IReport,
  'user' | 'role' | 'credentials' | 'verification'
>;

/**
 * Properties of `IdentitySection`.
 */
export interface IIdentitySectionProps {
  report: IdentityFacts;
  /**
   * The credential expiry warning window in minutes.
   */
  expiryWarningMinutes: number;
  trans?: TranslationBundle;
  /**
   * The clock of the countdown (tests).
   */
  now?: () => number;
}

/**
 * One fact: a term and its value; an unknown value says so.
 */
export function Fact(props: {
  term: string;
  value: React.ReactNode;
  title?: string;
  mono?: boolean;
  trans: TranslationBundle;
  name?: string;
}): JSX.Element {
  const empty =
    props.value === null || props.value === undefined || props.value === '';
  return (
    <div className="jp-TrustedIdentity-fact" data-fact={props.name}>
      <dt>{props.term}</dt>
      <dd
        title={props.title}
        className={
          empty
            ? 'jp-TrustedIdentity-muted'
            : props.mono
              ? 'jp-TrustedIdentity-mono'
              : undefined
        }
      >
        {empty ? props.trans.__('Unknown') : props.value}
      </dd>
    </div>
  );
}

/**
 * The user (with where the server got it from) and the AWS session that
 * carries the identity. Only what the server established is shown.
 */
export function IdentitySection(props: IIdentitySectionProps): JSX.Element {
  const trans = props.trans ?? defaultTrans();
  const { report } = props;
  const { user, role, credentials } = report;
  const provenance = user.provenance;
  const badge = userBadge(user, trans);
  const nextLookup = nextLookupText(report.verification, trans);
  return (
    <div className="jp-TrustedIdentity-section jp-TrustedIdentity-identity">
      <div className="jp-TrustedIdentity-subheading">
        <h3>{trans.__('User')}</h3>
        <span
          className={`jp-TrustedIdentity-badge jp-mod-${badge.kind}`}
          data-provenance={provenance}
          data-proven-by={user.proven_by ?? undefined}
          title={badge.description}
        >
          {badge.label}
        </span>
      </div>
      {provenance === 'none' && !user.user_id ? (
        <p className="jp-TrustedIdentity-muted jp-TrustedIdentity-note">
          {trans.__(
            'No IAM Identity Center user could be established for this session.'
          )}
        </p>
      ) : (
        <dl className="jp-TrustedIdentity-facts">
          <Fact
            name="display_name"
            term={trans.__('Name')}
            value={user.display_name}
            trans={trans}
          />
          <Fact
            name="user_name"
            term={trans.__('User name')}
            value={user.user_name}
            trans={trans}
          />
          <Fact
            name="email"
            term={trans.__('Email')}
            value={user.email}
            trans={trans}
          />
          <Fact
            name="user_id"
            term={trans.__('User ID')}
            value={user.user_id}
            mono
            trans={trans}
          />
          <Fact
            name="identity_store"
            term={trans.__('Identity store')}
            value={user.identity_store_id}
            title={user.identity_store_arn ?? undefined}
            mono
            trans={trans}
          />
        </dl>
      )}
      {nextLookup && (
        <p
          className="jp-TrustedIdentity-muted jp-TrustedIdentity-note"
          data-next-lookup={report.verification.next_lookup_at ?? ''}
          title={lastLookupText(report.verification, trans) ?? undefined}
        >
          {nextLookup}
        </p>
      )}
      <div className="jp-TrustedIdentity-subheading">
        <h3>{trans.__('AWS session')}</h3>
      </div>
      <dl className="jp-TrustedIdentity-facts">
        <Fact
          name="carrier_role"
          term={trans.__('Carrier role')}
          value={role.role_name}
          title={role.role_arn ?? undefined}
          trans={trans}
        />
        <Fact
          name="caller_arn"
          term={trans.__('Caller')}
          value={role.caller_arn}
          mono
          trans={trans}
        />
        <Fact
          name="access_key_id"
          term={trans.__('Access key')}
          value={credentials.access_key_id}
          title={trans.__('Masked: the secret key is never shown')}
          mono
          trans={trans}
        />
        <Fact
          name="credential_source"
          term={trans.__('Credential source')}
          value={
            credentials.source
              ? credentialSourceLabel(credentials.source, trans)
              : null
          }
          title={credentials.source ?? undefined}
          trans={trans}
        />
        <Fact
          name="expires_at"
          term={trans.__('Expires')}
          value={
            credentials.expires_at ? (
              <ExpiryCountdown
                expiresAt={credentials.expires_at}
                warningMinutes={props.expiryWarningMinutes}
                trans={trans}
                now={props.now}
              />
            ) : null
          }
          trans={trans}
        />
        {credentials.overridden_by.length > 0 && (
          <Fact
            name="overridden_by"
            term={trans.__('Overridden by')}
            value={<VariableList names={credentials.overridden_by} />}
            trans={trans}
          />
        )}
        {role.execution_role_arn &&
          role.role_arn &&
          role.execution_role_arn !== role.role_arn && (
            <Fact
              name="execution_role"
              term={trans.__('Execution role')}
              value={role.execution_role_name}
              title={role.execution_role_arn}
              trans={trans}
            />
          )}
      </dl>
      {credentials.detail && (
        <p className="jp-TrustedIdentity-muted jp-TrustedIdentity-note">
          {credentials.detail}
        </p>
      )}
    </div>
  );
}

/**
 * Names of environment variables, as code chips.
 */
export function VariableList(props: { names: string[] }): JSX.Element {
  return (
    <span className="jp-TrustedIdentity-variables">
      {props.names.map(name => (
        <code key={name} className="jp-TrustedIdentity-variable">
          {name}
        </code>
      ))}
    </span>
  );
}
