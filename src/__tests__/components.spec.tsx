import * as React from 'react';

import {
  ChecksList,
  EmptyState,
  ExpiryCountdown,
  IdentitySection,
  ISessionRow,
  RunsWithoutIdentity,
  SessionsTable,
  StudioFacts,
  VerdictBanner
} from '../components';

import { ModelState } from '../model';

import { IReport } from '../types';

import { click, render } from './render';

import {
  awsProfileKernel,
  describeSpaceDenied,
  granteeProof,
  stsThrottled,
  tipReadMissing,
  happy,
  noCredentials,
  outsideStudio,
  profileOnly,
  SECRET_PATTERNS,
  sharedSpace
} from './reports';

const K1 = '159d2982-e0a2-4e4a-9c04-2c483836c516';

describe('VerdictBanner', () => {
  it('names the user of a propagated identity, with its provenance', () => {
    const view = render(<VerdictBanner report={happy()} />);
    const banner = view.container.querySelector('.jp-TrustedIdentity-banner')!;
    expect(banner.getAttribute('data-verdict')).toBe('propagated');
    expect(banner.getAttribute('role')).toBe('status');
    expect(banner.getAttribute('aria-live')).toBe('polite');
    expect(view.text()).toContain(
      'Your identity, Jane Doe, is propagated to connected AWS services'
    );
    expect(view.text()).toContain('Verified by CloudTrail');
    expect(view.text()).not.toContain('What to do');
    view.unmount();
  });

  it('says when the user is only from the profile', () => {
    const view = render(<VerdictBanner report={profileOnly()} />);
    expect(view.text()).toContain("From the space's user profile");
    expect(view.text()).toContain('CloudTrail has not confirmed it yet');
    view.unmount();
  });

  it('says what is wrong and the one thing to do', () => {
    const view = render(<VerdictBanner report={sharedSpace()} />);
    expect(view.text()).toContain('Your identity is not propagated to AWS');
    expect(view.text()).toContain('The space is Shared');
    expect(view.text()).toContain(
      'What to do: Use a private space for work that needs your identity.'
    );
    const link = view.container.querySelector('a')!;
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.getAttribute('target')).toBe('_blank');
    view.unmount();
  });

  it.each([
    ['no_credentials', noCredentials, 'No AWS credentials are available'],
    [
      'outside_studio',
      outsideStudio,
      'Not running in a SageMaker Studio space'
    ],
    [
      'unknown',
      stsThrottled,
      'Could not confirm that your identity is propagated'
    ]
  ])('renders the %s verdict', (verdict, factory, title) => {
    const view = render(<VerdictBanner report={factory()} />);
    expect(
      view.container
        .querySelector('[data-verdict]')
        ?.getAttribute('data-verdict')
    ).toBe(verdict);
    expect(view.text()).toContain(title);
    view.unmount();
  });

  it('says out loud that the evidence disagrees, and follows the proof', () => {
    const report = tipReadMissing();
    const view = render(<VerdictBanner report={report} />);
    const banner = view.container.querySelector('[data-verdict]')!;
    expect(banner.getAttribute('data-verdict')).toBe('propagated');
    expect(banner.getAttribute('data-cause')).toBe('evidence.consistent');
    expect(banner.classList).toContain('jp-mod-contradiction');
    const text = view.text();
    expect(text).toContain(
      'Your identity, Jane Doe, is propagated to connected AWS services'
    );
    expect(text).toContain('The evidence disagrees');
    expect(text).toContain(
      'DescribeDomain returned no TrustedIdentityPropagationSettings'
    );
    expect(text).toContain('What to do: Nothing to change');
    // Never a remediation that asks for a setting the proof shows in effect.
    expect(text).not.toContain('Status to ENABLED');
    view.unmount();
    // A report without a contradiction has no such note.
    const happyView = render(<VerdictBanner report={happy()} />);
    expect(happyView.text()).not.toContain('The evidence disagrees');
    happyView.unmount();
  });

  it('names S3 Access Grants when a Test access’s grantee is the proof', () => {
    const report = granteeProof();
    const view = render(<VerdictBanner report={report} />);
    const banner = view.container.querySelector('[data-verdict]')!;
    expect(banner.getAttribute('data-verdict')).toBe('propagated');
    expect(banner.classList).toContain('jp-mod-contradiction');
    const text = view.text();
    expect(text).toContain(
      'The evidence disagrees: the verdict follows S3 Access Grants'
    );
    expect(text).toContain('Identity: Seen by S3 Access Grants');
    expect(text).not.toContain('follows CloudTrail');
    expect(text).not.toContain('Status to ENABLED');
    view.unmount();
  });

  it('names the kernels without the identity and a stale report', () => {
    const view = render(
      <VerdictBanner
        report={happy()}
        kernelsWithout={['aws.ipynb']}
        error={{ reason: 'network', message: 'x', status: null, at: 0 }}
      />
    );
    expect(view.text()).toContain('aws.ipynb runs without your identity');
    expect(
      view.container
        .querySelector('.jp-TrustedIdentity-stale')
        ?.getAttribute('data-reason')
    ).toBe('network');
    view.unmount();
  });
});

describe('EmptyState', () => {
  const cases: [ModelState, string | null, string, string][] = [
    [
      'loading',
      null,
      'loading',
      'Checking whether your identity is propagated'
    ],
    ['server-missing', null, 'server-missing', 'server extension is missing'],
    ['version-mismatch', null, 'version-mismatch', 'another version'],
    ['disconnected', 'network', 'disconnected', 'cannot be reached'],
    ['disconnected', 'timeout', 'timeout', 'did not answer in time'],
    ['request-failed', 'forbidden', 'forbidden', 'refused the request'],
    [
      'request-failed',
      'server-error',
      'request-failed',
      'The identity check failed'
    ]
  ];
  it.each(cases)(
    'renders %s (%s) with a reason and words',
    (state, reason, code, words) => {
      const retry = jest.fn();
      const view = render(
        <EmptyState
          state={state}
          error={
            reason
              ? { reason: reason as any, message: 'Boom.', status: null, at: 0 }
              : null
          }
          handshake={
            state === 'version-mismatch'
              ? {
                  ok: false,
                  problem: 'mismatch',
                  server: { version: '0.2.0', schema_version: 1 },
                  message: 'm'
                }
              : null
          }
          frontendVersion="0.1.0"
          onRetry={retry}
        />
      );
      const root = view.container.querySelector('.jp-TrustedIdentity-empty')!;
      expect(root.getAttribute('data-reason')).toBe(code);
      expect(view.text()).toContain(words);
      expect(view.text().length).toBeGreaterThan(40); // never blank
      const button = view.container.querySelector('button');
      if (state === 'loading') {
        expect(button).toBeNull();
      } else {
        click(button);
        expect(retry).toHaveBeenCalled();
      }
      if (state === 'server-missing' || state === 'version-mismatch') {
        // The command of the README: the wheel of the frontend's version,
        // without touching the environment's other packages.
        expect(view.text()).toContain(
          'pip install --no-deps jupyterlab_trusted_identity-0.1.0-py3-none-any.whl'
        );
        expect(view.text()).toContain('restart-jupyter-server');
        expect(view.text()).not.toMatch(/pip install \S+==/);
      }
      view.unmount();
    }
  );
});

describe('IdentitySection', () => {
  it('says the user was seen by S3 Access Grants until CloudTrail names them', () => {
    const badge = (report: IReport) => {
      const view = render(
        <IdentitySection report={report} expiryWarningMinutes={15} />
      );
      const node = view.container.querySelector('[data-provenance]')!;
      const shown = {
        text: node.textContent,
        provenance: node.getAttribute('data-provenance'),
        provenBy: node.getAttribute('data-proven-by')
      };
      view.unmount();
      return shown;
    };
    expect(badge(granteeProof())).toEqual({
      text: 'Seen by S3 Access Grants',
      provenance: 'profile',
      provenBy: 's3:GetDataAccess'
    });
    // CloudTrail's word, once it has one, comes first.
    expect(badge(happy())).toEqual({
      text: 'Verified by CloudTrail',
      provenance: 'cloudtrail',
      provenBy: 'cloudtrail:LookupEvents'
    });
    // A server before it names no proof: the provenance alone.
    const older = sharedSpace();
    delete older.user.proven_by;
    expect(badge(older).text).toBe("From the space's user profile");
  });

  it('shows the user, provenance and the AWS session, without secrets', () => {
    const view = render(
      <IdentitySection report={happy()} expiryWarningMinutes={15} />
    );
    const fact = (name: string) =>
      view.container.querySelector(`[data-fact="${name}"] dd`)?.textContent;
    expect(fact('display_name')).toBe('Jane Doe');
    expect(fact('user_name')).toBe('jdoe');
    expect(fact('email')).toBe('jdoe@example.com');
    expect(fact('identity_store')).toBe('d-1234567890');
    expect(fact('carrier_role')).toBe('SageMakerExec');
    expect(fact('caller_arn')).toContain(
      'assumed-role/SageMakerExec/SageMaker'
    );
    expect(fact('access_key_id')).toMatch(/^ASIA….{4}$/);
    expect(fact('credential_source')).toBe(
      'Space container credentials (execution role)'
    );
    expect(
      view.container
        .querySelector('[data-provenance]')
        ?.getAttribute('data-provenance')
    ).toBe('cloudtrail');
    for (const pattern of SECRET_PATTERNS) {
      expect(view.container.innerHTML).not.toMatch(pattern);
    }
    view.unmount();
  });

  it('shows the names the server derived, parsing no ARN', () => {
    const report = happy();
    // The server's fields, not a reading of the ARNs beside them.
    report.user.identity_store_id = 'd-from-server';
    report.role.role_name = 'CarrierFromServer';
    report.role.execution_role_arn =
      'arn:aws:iam::111122223333:role/service-role/OtherExec';
    report.role.execution_role_name = 'ExecutionFromServer';
    const view = render(
      <IdentitySection report={report} expiryWarningMinutes={15} />
    );
    const dd = (name: string) =>
      view.container.querySelector(`[data-fact="${name}"] dd`) as HTMLElement;
    expect(dd('identity_store').textContent).toBe('d-from-server');
    expect(dd('identity_store').title).toBe(report.user.identity_store_arn);
    expect(dd('carrier_role').textContent).toBe('CarrierFromServer');
    expect(dd('carrier_role').title).toBe(report.role.role_arn);
    // The execution role is shown only when it is not the carrier.
    expect(dd('execution_role').textContent).toBe('ExecutionFromServer');
    expect(dd('execution_role').title).toBe(
      'arn:aws:iam::111122223333:role/service-role/OtherExec'
    );
    view.unmount();
    const same = render(
      <IdentitySection report={happy()} expiryWarningMinutes={15} />
    );
    expect(same.container.querySelector('[data-fact="execution_role"]')).toBe(
      null
    );
    same.unmount();
  });

  it('claims no user the server did not establish', () => {
    const view = render(
      <IdentitySection report={awsProfileKernel()} expiryWarningMinutes={15} />
    );
    expect(view.text()).toContain(
      'No IAM Identity Center user could be established'
    );
    expect(view.text()).not.toContain('Jane Doe');
    expect(view.text()).toContain('AWS_PROFILE');
    expect(view.text()).toContain('Role assumed through a profile');
    view.unmount();
  });

  it('says unknown for what is not known', () => {
    const view = render(
      <IdentitySection report={noCredentials()} expiryWarningMinutes={15} />
    );
    expect(
      view.container.querySelector('[data-fact="caller_arn"] dd')?.textContent
    ).toBe('Unknown');
    view.unmount();
  });
});

describe('ExpiryCountdown', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');

  it('counts down and warns inside the window', () => {
    const view = render(
      <ExpiryCountdown
        expiresAt="2026-11-28T12:10:00Z"
        warningMinutes={15}
        now={() => now}
      />
    );
    const node = view.container.querySelector('.jp-TrustedIdentity-expiry')!;
    expect(node.getAttribute('data-state')).toBe('warning');
    expect(view.text()).toContain('in 10 min');
    expect(view.text()).toContain('Expires soon');
    // Settings applied live: a smaller window, no warning.
    view.rerender(
      <ExpiryCountdown
        expiresAt="2026-11-28T12:10:00Z"
        warningMinutes={5}
        now={() => now}
      />
    );
    expect(
      view.container
        .querySelector('.jp-TrustedIdentity-expiry')!
        .getAttribute('data-state')
    ).toBe('ok');
    view.unmount();
  });

  it('ticks with a poll', async () => {
    let clock = now;
    const view = render(
      <ExpiryCountdown
        expiresAt="2026-11-28T12:05:00Z"
        warningMinutes={0}
        now={() => clock}
        interval={10}
      />
    );
    expect(view.text()).toContain('in 5:00');
    clock += 61_000;
    await React.act(async () => {
      await new Promise(resolve => setTimeout(resolve, 50));
    });
    expect(view.text()).toContain('in 3:59');
    view.unmount();
  });

  it('says expired, and unknown without a time', () => {
    const view = render(
      <ExpiryCountdown
        expiresAt="2026-11-28T11:50:00Z"
        warningMinutes={15}
        now={() => now}
      />
    );
    expect(view.text()).toContain('expired 10 min ago');
    view.rerender(<ExpiryCountdown expiresAt={null} warningMinutes={15} />);
    expect(view.text()).toBe('Not known');
    view.unmount();
  });
});

describe('ChecksList', () => {
  it('groups the checks, failed and unknown first, with remediation and links', () => {
    const view = render(<ChecksList checks={sharedSpace().checks} />);
    const groups = Array.from(
      view.container.querySelectorAll('[data-group]')
    ).map(node => node.getAttribute('data-group'));
    expect(groups.slice(0, 2)).toEqual(['studio', 'identity']);
    expect(groups).toEqual([
      'studio',
      'identity',
      'evidence',
      'credentials',
      'services'
    ]);
    const studio = view.container.querySelector('[data-group="studio"]')!;
    const first = studio.querySelector('[data-check-id]')!;
    expect(first.getAttribute('data-check-id')).toBe('studio.space_private');
    expect(first.querySelector('details')!.open).toBe(true);
    expect(first.textContent).toContain(
      'Use a private space for work that needs your identity.'
    );
    expect(first.querySelector('a')?.getAttribute('rel')).toBe(
      'noopener noreferrer'
    );
    expect(
      first.querySelector('[role="img"]')?.getAttribute('aria-label')
    ).toBe('Failed');
    const passed = view.container.querySelector(
      '[data-check-id="credentials.valid"] details'
    ) as HTMLDetailsElement;
    expect(passed.open).toBe(false);
    view.unmount();
  });

  it('shows the IAM action of a read that failed, and the proof that settled it', () => {
    const view = render(<ChecksList checks={describeSpaceDenied().checks} />);
    const check = view.container.querySelector(
      '[data-check-id="studio.space_private"]'
    )!;
    expect(check.getAttribute('data-status')).toBe('warn');
    expect(check.textContent).toContain('sagemaker:DescribeSpace');
    expect(check.textContent).toContain(
      'Read alone, this check is “Unknown”; the proof of the session from CloudTrail outranks the reading.'
    );
    expect(
      check.querySelector('[data-evidence]')?.getAttribute('data-evidence')
    ).toBe('configuration');
    view.unmount();
  });

  it('names S3 Access Grants as the proof that settled a reading', () => {
    const view = render(<ChecksList checks={granteeProof().checks} />);
    const check = view.container.querySelector(
      '[data-check-id="studio.tip_enabled"]'
    )!;
    expect(check.getAttribute('data-status')).toBe('warn');
    expect(check.textContent).toContain(
      'Read alone, this check is “Failed”; the proof of the session from S3 Access Grants outranks the reading.'
    );
    view.unmount();
  });

  it("shows each check in the server's words", () => {
    const checks = sharedSpace().checks;
    const check = checks.find(c => c.id === 'studio.space_private')!;
    check.title = 'The title the server wrote';
    const view = render(<ChecksList checks={checks} />);
    const item = view.container.querySelector(
      '[data-check-id="studio.space_private"]'
    )!;
    expect(
      item.querySelector('.jp-TrustedIdentity-checkTitle')?.textContent
    ).toBe('The title the server wrote');
    expect(item.textContent).toContain(check.detail);
    expect(item.textContent).toContain(check.remediation);
    view.unmount();
  });

  it('says so when there are no checks', () => {
    const view = render(<ChecksList checks={[]} />);
    expect(view.text()).toContain('no checks');
    view.unmount();
  });
});

describe('StudioFacts', () => {
  it('shows the Studio facts with their sources', () => {
    const view = render(<StudioFacts studio={sharedSpace().studio} />);
    const dd = (name: string) =>
      view.container.querySelector(`[data-fact="${name}"] dd`) as HTMLElement;
    expect(dd('space_name').textContent).toBe('jdoe-space');
    expect(dd('sharing_type').textContent).toBe('Shared');
    expect(dd('sharing_type').querySelector('.jp-mod-bad')).not.toBeNull();
    expect(dd('sharing_type').title).toBe('From sagemaker:DescribeSpace');
    expect(dd('tip_domain').textContent).toBe('ENABLED');
    expect(dd('region').textContent).toBe('us-east-1');
    view.unmount();
  });

  it('says when the space is outside Studio', () => {
    const view = render(<StudioFacts studio={outsideStudio().studio} />);
    expect(view.text()).toContain('does not run in a Studio space');
    expect(
      view.container.querySelector('[data-fact="space_name"] dd')?.textContent
    ).toBe('Unknown');
    view.unmount();
  });
});

describe('RunsWithoutIdentity', () => {
  it('lists the connected services and what runs without the identity', () => {
    const view = render(
      <RunsWithoutIdentity services={happy().connected_services} />
    );
    expect(view.text()).toContain('Amazon S3 Access Grants');
    expect(view.text()).toContain('Lifecycle configurations');
    expect(view.text()).toContain('Custom image setup');
    expect(view.text()).toContain('CloudWatch agent');
    expect(
      view.container
        .querySelector('[data-service="s3-access-grants"] [role="img"]')
        ?.getAttribute('aria-label')
    ).toBe('Ready');
    view.unmount();
  });
});

describe('SessionsTable', () => {
  const row = (overrides: Partial<ISessionRow> = {}): ISessionRow => ({
    key: 'w1',
    name: 'aws.ipynb',
    path: 'work/aws.ipynb',
    kind: 'notebook',
    kernelId: K1,
    kernelDisplayName: 'Python 3 (AWS_PROFILE=analytics)',
    report: awsProfileKernel(K1),
    checking: false,
    error: null,
    probe: null,
    activatable: true,
    current: true,
    ...overrides
  });

  it('shows a row per kernel with verdict and overriding variables', () => {
    const activate = jest.fn();
    const recheck = jest.fn();
    const view = render(
      <SessionsTable rows={[row()]} onActivate={activate} onRecheck={recheck} />
    );
    const item = view.container.querySelector('li')!;
    expect(item.getAttribute('data-verdict')).toBe('not_propagated');
    expect(item.textContent).toContain('Not propagated');
    expect(item.textContent).toContain('AWS_PROFILE');
    const main = item.querySelector(
      '.jp-TrustedIdentity-sessionMain'
    ) as HTMLButtonElement;
    expect(main.tagName).toBe('BUTTON');
    expect(main.getAttribute('aria-current')).toBe('true');
    expect(main.getAttribute('aria-label')).toContain('Not propagated');
    click(main);
    expect(activate).toHaveBeenCalledWith(
      expect.objectContaining({ key: 'w1' })
    );
    const button = item.querySelector(
      '.jp-TrustedIdentity-recheck'
    ) as HTMLButtonElement;
    expect(button.getAttribute('aria-label')).toBe(
      'Re-check the kernel of aws.ipynb'
    );
    click(button);
    expect(recheck).toHaveBeenCalledTimes(1);
    view.unmount();
  });

  it('renders checking, failed checks, probes and kernels without documents', () => {
    const view = render(
      <SessionsTable
        rows={[
          row({ key: 'a', report: null, checking: true }),
          row({ key: 'b', report: null, error: 'Boom.' }),
          row({
            key: 'c',
            kind: 'kernel',
            activatable: false,
            probe: {
              status: 'ok',
              method: 'assume-role',
              access_key_id: 'ASIA…ABCD',
              caller_arn: 'arn:aws:sts::1:assumed-role/AnalyticsRole/analytics',
              at: 'now'
            }
          })
        ]}
        onActivate={() => undefined}
        onRecheck={() => undefined}
      />
    );
    const items = view.container.querySelectorAll('li');
    expect(items[0].getAttribute('data-verdict')).toBe('checking');
    expect(
      (
        items[0].querySelector(
          '.jp-TrustedIdentity-recheck'
        ) as HTMLButtonElement
      ).disabled
    ).toBe(true);
    expect(items[1].getAttribute('data-verdict')).toBe('error');
    expect(items[1].textContent).toContain('Boom.');
    expect(
      items[2].querySelector('button.jp-TrustedIdentity-sessionMain')
    ).toBeNull();
    expect(items[2].textContent).toContain('assume-role');
    expect(items[2].textContent).toContain('AnalyticsRole');
    view.unmount();
  });

  it('names the user a propagated kernel acts as, as the server chose', () => {
    const report = happy();
    report.user.short_name = 'short-from-server';
    const view = render(<SessionsTable rows={[row({ report })]} />);
    expect(view.text()).toContain('Acts as short-from-server');
    view.unmount();
  });

  it('says so when no kernel runs', () => {
    const view = render(<SessionsTable rows={[]} />);
    expect(view.text()).toContain('No notebook or console is running a kernel');
    view.unmount();
  });
});
