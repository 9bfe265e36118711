import { TranslationBundle } from '@jupyterlab/translation';

import * as React from 'react';

import { defaultTrans } from '../translation';

import { IReportStudio } from '../types';

import { Fact } from './IdentitySection';

/**
 * Properties of `StudioFacts`.
 */
export interface IStudioFactsProps {
  studio: IReportStudio;
  trans?: TranslationBundle;
}

/**
 * A fact's value with a tone: `good` when it is what trusted identity
 * propagation needs, `bad` when it prevents it; `null` when unknown.
 */
function valued(
  value: string | null | undefined,
  good: boolean | null | undefined
): JSX.Element | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  const mod =
    good === true ? ' jp-mod-good' : good === false ? ' jp-mod-bad' : '';
  return <span className={`jp-TrustedIdentity-value${mod}`}>{value}</span>;
}

/**
 * Facts of the Studio domain, space, user profile and app. Each fact's
 * source (metadata, an AWS API, a variable) is its tooltip.
 */
export function StudioFacts(props: IStudioFactsProps): JSX.Element {
  const trans = props.trans ?? defaultTrans();
  const { studio } = props;
  const sources = studio.sources ?? {};
  const source = (key: string) =>
    sources[key] ? trans.__('From %1', sources[key]) : undefined;
  // Whether a setting is (is not) the value that keeps the identity; null: unknown.
  const yes = (value: string | null, wanted: string) =>
    value ? value.toUpperCase() === wanted : null;
  const isnt = (value: string | null, unwanted: string) =>
    value ? value.toUpperCase() !== unwanted : null;
  const fact = (
    name: string,
    term: string,
    value: React.ReactNode,
    mono = false
  ) => (
    <Fact
      key={name}
      name={name}
      term={term}
      value={value}
      title={source(name)}
      mono={mono}
      trans={trans}
    />
  );
  const domain =
    studio.domain_name && studio.domain_id
      ? `${studio.domain_name} (${studio.domain_id})`
      : (studio.domain_id ?? studio.domain_name ?? null);
  const app =
    [studio.app_type, studio.app_name ? `“${studio.app_name}”` : null]
      .filter(Boolean)
      .join(' ') || null;
  const region = studio.region
    ? studio.region_supported === false
      ? trans.__('%1 (no trusted identity propagation)', studio.region)
      : studio.region
    : null;
  return (
    <div className="jp-TrustedIdentity-section jp-TrustedIdentity-studio">
      {studio.detected === false && (
        <p className="jp-TrustedIdentity-muted jp-TrustedIdentity-note">
          {trans.__(
            'No SageMaker Studio app metadata was found: this JupyterLab does not run in a Studio space.'
          )}
        </p>
      )}
      <dl className="jp-TrustedIdentity-facts">
        {fact('domain_id', trans.__('Domain'), domain, true)}
        {fact('space_name', trans.__('Space'), studio.space_name)}
        {fact(
          'user_profile_name',
          trans.__('User profile'),
          studio.user_profile_name
        )}
        {fact('app_type', trans.__('App'), app)}
        {fact(
          'region',
          trans.__('Region'),
          valued(region, studio.region_supported)
        )}
        {fact(
          'auth_mode',
          trans.__('Sign-in'),
          valued(studio.auth_mode, yes(studio.auth_mode, 'SSO'))
        )}
        {fact(
          'sharing_type',
          trans.__('Sharing'),
          valued(studio.sharing_type, yes(studio.sharing_type, 'PRIVATE'))
        )}
        {fact(
          'remote_access',
          trans.__('Remote access'),
          valued(studio.remote_access, isnt(studio.remote_access, 'ENABLED'))
        )}
        {fact(
          'tip_domain',
          trans.__('TIP on the domain'),
          valued(studio.tip_domain, yes(studio.tip_domain, 'ENABLED'))
        )}
        {fact(
          'tip_app',
          trans.__('TIP in this app'),
          valued(studio.tip_app, isnt(studio.tip_app, 'DISABLED'))
        )}
      </dl>
    </div>
  );
}
