import { TranslationBundle } from '@jupyterlab/translation';

import * as React from 'react';

import { Tone } from '../tones';

import { defaultTrans } from '../translation';

import { IConnectedService } from '../types';

import { StatusIcon } from './StatusIcon';

/**
 * Properties of `RunsWithoutIdentity`.
 */
export interface IRunsWithoutIdentityProps {
  /**
   * The report's identity-aware services.
   */
  services: ReadonlyArray<IConnectedService>;
  /**
   * What follows the services' list: the details of the services whose
   * integration the server read (S3 Access Grants first).
   */
  children?: React.ReactNode;
  trans?: TranslationBundle;
}

/**
 * The identity-aware services, and what runs in the space without the
 * user's identity (TIP-FACTS.md): lifecycle configurations, custom image
 * setup, the CloudWatch agent, roles assumed in notebooks, and jobs.
 */
export function RunsWithoutIdentity(
  props: IRunsWithoutIdentityProps
): JSX.Element {
  const trans = props.trans ?? defaultTrans();
  const notes: { key: string; title: string; text: string }[] = [
    {
      key: 'lifecycle',
      title: trans.__('Lifecycle configurations'),
      text: trans.__(
        'Scripts that run when the space starts use the plain execution role, without your identity.'
      )
    },
    {
      key: 'image',
      title: trans.__('Custom image setup'),
      text: trans.__(
        'The setup of a custom image (BYOI) runs with the plain execution role.'
      )
    },
    {
      key: 'cloudwatch',
      title: trans.__('CloudWatch agent'),
      text: trans.__(
        'Log forwarding by the CloudWatch agent uses the plain execution role.'
      )
    },
    {
      key: 'assumed-roles',
      title: trans.__('Roles assumed in notebooks'),
      text: trans.__(
        'A role assumed from a notebook (a profile, AssumeRole, static keys) drops your identity: only the execution role session carries it.'
      )
    },
    {
      key: 'jobs',
      title: trans.__('Jobs started from Studio'),
      text: trans.__(
        'Training, processing, pipelines and other jobs run on a user background session of IAM Identity Center.'
      )
    }
  ];
  return (
    <div className="jp-TrustedIdentity-section jp-TrustedIdentity-notes">
      {props.services.length > 0 && (
        <>
          <div className="jp-TrustedIdentity-subheading">
            <h3>{trans.__('Identity-aware services')}</h3>
          </div>
          <ul className="jp-TrustedIdentity-services">
            {props.services.map(service => {
              const [tone, label]: [Tone, string] =
                service.ready === true
                  ? ['success', trans.__('Ready')]
                  : service.ready === false
                    ? ['error', trans.__('Not ready')]
                    : ['neutral', trans.__('Not checked')];
              return (
                <li key={service.id} data-service={service.id}>
                  <StatusIcon tone={tone} label={label} />
                  <div>
                    <span className="jp-TrustedIdentity-serviceName">
                      {service.name}
                    </span>
                    <span className="jp-TrustedIdentity-muted">
                      {service.detail}
                    </span>
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {props.children}
      <div className="jp-TrustedIdentity-subheading">
        <h3>{trans.__('Runs without your identity')}</h3>
      </div>
      <ul className="jp-TrustedIdentity-noteList">
        {notes.map(note => (
          <li key={note.key} data-note={note.key}>
            <strong>{note.title}</strong>
            <span>{note.text}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
