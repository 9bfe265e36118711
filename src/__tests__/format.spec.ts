import {
  causeOf,
  credentialSourceLabel,
  formatRemaining,
  groupChecks,
  identitySummary,
  kernelCause,
  notificationText,
  probeLabel,
  shouldNotify,
  truncate,
  verdictLabel,
  verdictWords
} from '../format';

import {
  awsProfileKernel,
  tipReadMissing,
  happy,
  noCredentials,
  SECRET_PATTERNS,
  sharedSpace
} from './reports';

describe('format', () => {
  it('orders groups and checks: failed and unknown first', () => {
    const groups = groupChecks(awsProfileKernel().checks);
    expect(groups.map(g => g.group)).toEqual([
      'credentials',
      'kernel',
      'identity',
      'evidence',
      'studio',
      'services'
    ]);
    expect(groups[0].checks[0].id).toBe('credentials.carrier');
    expect(groups[0].worst).toBe('fail');
  });

  it('finds the cause the server chose: the check named by report.cause', () => {
    expect(causeOf(sharedSpace())?.id).toBe('studio.space_private');
    expect(causeOf(awsProfileKernel())?.id).toBe('credentials.carrier');
    expect(causeOf(noCredentials())?.id).toBe('credentials.resolved');
    expect(causeOf(tipReadMissing())?.id).toBe('evidence.consistent');
    expect(causeOf(happy())).toBeNull();
    // The server decides: a report naming another check is followed.
    const report = sharedSpace();
    report.cause = 'identity.verified';
    expect(causeOf(report)?.id).toBe('identity.verified');
  });

  it('words the verdict for people', () => {
    expect(verdictWords(happy())).toEqual({
      title: 'Your identity, Jane Doe, is propagated to connected AWS services',
      cause: '',
      action: '',
      docUrl: '',
      contradiction: false
    });
    const disagreeing = verdictWords(tipReadMissing());
    expect(disagreeing.contradiction).toBe(true);
    expect(disagreeing.cause).toContain('DescribeDomain returned no');
    expect(disagreeing.action).toMatch(/^Nothing to change/);
    const shared = verdictWords(sharedSpace());
    expect(shared.title).toBe('Your identity is not propagated to AWS');
    expect(shared.action).toBe(
      'Use a private space for work that needs your identity.'
    );
    expect(shared.docUrl).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    const none = happy();
    none.user = {
      ...none.user,
      display_name: null,
      user_name: null,
      email: null,
      shown_name: null,
      short_name: null,
      provenance: 'none'
    };
    expect(verdictWords(none).title).toBe(
      'Your identity is propagated to connected AWS services'
    );
  });

  it('calls the user by the name the server chose', () => {
    const report = happy();
    expect(report.user.shown_name).toBe('Jane Doe');
    // The server decides which name to show; the words follow it.
    report.user.shown_name = 'jdoe@example.com';
    expect(verdictWords(report).title).toBe(
      'Your identity, jdoe@example.com, is propagated to connected AWS services'
    );
  });

  it('names the kernel cause and the notification', () => {
    const report = awsProfileKernel();
    expect(kernelCause(report)).toBe(
      'AWS_PROFILE in its environment overrides the space credentials'
    );
    expect(notificationText(report, 'aws.ipynb')).toBe(
      'The kernel of aws.ipynb runs without your identity: AWS_PROFILE in its environment overrides the space credentials'
    );
    expect(shouldNotify('not_propagated')).toBe(true);
    expect(shouldNotify('propagated')).toBe(false);
    expect(shouldNotify('unknown')).toBe(false);
    expect(shouldNotify('outside_studio')).toBe(false);
  });

  it('formats the remaining time', () => {
    const now = 0;
    expect(formatRemaining(59 * 60_000, now)).toBe('in 59 min');
    expect(formatRemaining(4 * 60_000 + 5_000, now)).toBe('in 4:05');
    expect(formatRemaining(3 * 3600_000 + 60_000, now)).toBe('in 3 h 1 min');
    expect(formatRemaining(-30_000, now)).toBe('expired just now');
    expect(formatRemaining(-3 * 60_000, now)).toBe('expired 3 min ago');
    expect(formatRemaining(-5 * 3600_000, now)).toBe('expired 5 hours ago');
  });

  it('labels and small helpers', () => {
    expect(credentialSourceLabel('env')).toBe(
      'Environment variables (static keys)'
    );
    expect(credentialSourceLabel('other')).toBe('other');
    expect(verdictLabel('invalid_credentials')).toBe('Invalid credentials');
    expect(verdictLabel(undefined)).toBe('Checking…');
    expect(truncate('a  b c', 10)).toBe('a b c');
    expect(truncate('abcdefghijkl', 5)).toBe('abcd…');
  });

  it('labels probe results', () => {
    expect(probeLabel({ status: 'boto3-missing', at: '' })).toBe(
      'boto3 is not installed in the kernel'
    );
    expect(
      probeLabel({ status: 'unsupported-language', language: 'R', at: '' })
    ).toBe('Not probed: the kernel language is R, not Python');
    expect(
      probeLabel({
        status: 'ok',
        method: 'env',
        access_key_id: 'AKIA…WXYZ',
        caller_arn: null,
        error: 'Denied',
        at: ''
      })
    ).toContain('STS did not answer: Denied');
  });

  it('summarizes without secrets', () => {
    const text = identitySummary(happy(), [
      { name: 'aws.ipynb', report: awsProfileKernel() },
      { name: 'new.ipynb', report: null }
    ]);
    expect(text).toContain('Space: Propagated');
    expect(text).toContain('Jane Doe');
    // The identity store's id as the server derived it from the ARN.
    expect(text).toContain('identity store d-1234567890)');
    expect(text).toContain('Verified by CloudTrail');
    expect(text).toContain(
      'aws.ipynb (python3-aws-profile): Not propagated — overridden by AWS_PROFILE'
    );
    expect(text).toContain('new.ipynb (—): Checking…');
    for (const pattern of SECRET_PATTERNS) {
      expect(text).not.toMatch(pattern);
    }
    const failing = identitySummary(sharedSpace(), []);
    expect(failing).toContain('Checks that did not pass:');
    expect(failing).toContain('studio.space_private');
  });
});
