/**
 * The words of the reports: labels (labels.ts), tones (tones.ts), the order
 * of the checks (checks.ts), the banner's words (verdictWords.ts), a kernel's
 * cause and notification (verdict.ts), times (time.ts), text helpers
 * (text.ts) and the clipboard summary (summary.ts).
 */
import { TranslationBundle } from '@jupyterlab/translation';

// jest runs in node: the contract is read from docs/rest-api.yml.
declare const __dirname: string;
declare const require: (id: 'fs') => {
  readFileSync(path: string, encoding: 'utf-8'): string;
};

import { groupChecks } from '../checks';

import {
  ACCESS_TEST_TONES,
  accessTestLabels,
  credentialSourceLabel,
  credentialSourceLabels,
  evidenceLabels,
  granteeLabels,
  GRANTS_TONES,
  grantsLabels,
  groupLabel,
  groupLabels,
  INTEGRATION_TONES,
  integrationLabels,
  permissionLabels,
  probeLabel,
  probeSentences,
  provenanceDescriptions,
  provenanceLabel,
  provenanceLabels,
  statusLabels,
  verdictLabel,
  verdictLabels
} from '../labels';

import { notificationText } from '../notices';

import { identitySummary } from '../summary';

import { truncate } from '../text';

import { formatRemaining } from '../time';

import { STATUS_TONES, VERDICT_TONES, verdictTone } from '../tones';

import { causeOf, kernelCause, shouldNotify } from '../verdict';

import { verdictTitles, verdictWords } from '../verdictWords';

import {
  awsProfileKernel,
  tipReadMissing,
  happy,
  noCredentials,
  SECRET_PATTERNS,
  sharedSpace
} from './reports';

describe('the words of the reports', () => {
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

  it('shows the audit forwarding check in its own group, last', () => {
    const report = happy();
    report.checks.push({
      ...report.checks[0],
      id: 'audit.forwarding',
      group: 'audit',
      required: false,
      evidence: null
    });
    const groups = groupChecks(report.checks);
    expect(groups.map(g => g.group).slice(-1)).toEqual(['audit']);
    expect(groupLabel('audit')).toBe('Audit trail');
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

/**
 * The values of an enumeration of docs/rest-api.yml, found by the line that
 * holds it (`<name>: { ... enum: [...] }` or `enum:` under `<name>:`): the
 * first after the text `after` when given (several schemas have a `status`:
 * `\n    Check:` names the schema), else the first in the file.
 */
function contractEnum(name: string, after?: string): string[] {
  let text: string = require('fs').readFileSync(
    `${__dirname}/../../docs/rest-api.yml`,
    'utf-8'
  );
  if (after) {
    const start = text.indexOf(after);
    if (start < 0) {
      throw new Error(`no ${JSON.stringify(after)} in docs/rest-api.yml`);
    }
    text = text.slice(start);
  }
  const match = new RegExp(
    `\\b${name}:(?:[^\\n]*|\\s*\\n\\s*type: string\\s*\\n)\\s*enum: \\[([^\\]]*)\\]`
  ).exec(text);
  if (!match) {
    throw new Error(`no enumeration ${name} in docs/rest-api.yml`);
  }
  return match[1]
    .split(',')
    .map(value => value.trim())
    .filter(value => value && value !== 'null')
    .sort();
}

/**
 * A bundle that marks what it translated.
 */
const marking = {
  __: (msg: string, ...args: any[]) =>
    `«${args.reduce((text, arg, i) => text.replace(`%${i + 1}`, String(arg)), msg)}»`,
  _n: (one: string, many: string, n: number, ...args: any[]) =>
    `«${[n, ...args].reduce(
      (text, arg, i) => text.replace(`%${i + 1}`, String(arg)),
      n === 1 ? one : many
    )}»`
} as unknown as TranslationBundle;

describe('the label maps', () => {
  const maps: [string, Record<string, unknown>, string, string][] = [
    ['verdicts', verdictLabels(marking), 'Verdict', ''],
    ['verdict tones', VERDICT_TONES, 'Verdict', ''],
    ['verdict titles', verdictTitles('Jane', marking), 'Verdict', ''],
    ['statuses', statusLabels(marking), 'status', '\n    Check:'],
    ['status tones', STATUS_TONES, 'status', '\n    Check:'],
    [
      'integrations',
      integrationLabels(marking),
      'state',
      '\n    ServiceIntegration:'
    ],
    [
      'integration tones',
      INTEGRATION_TONES,
      'state',
      '\n    ServiceIntegration:'
    ],
    ['grants', grantsLabels(marking), 'state', '\n    ServiceGrants:'],
    ['grants tones', GRANTS_TONES, 'state', '\n    ServiceGrants:'],
    [
      'access tests',
      accessTestLabels(marking),
      'status',
      '\n    AccessTestResult:'
    ],
    [
      'access test tones',
      ACCESS_TEST_TONES,
      'status',
      '\n    AccessTestResult:'
    ],
    [
      'permissions',
      permissionLabels(marking),
      'permission',
      '\n    AccessTestRequest:'
    ],
    ['grantees', granteeLabels(marking), 'type', 'grantee:'],
    ['groups', groupLabels(marking), 'group', ''],
    ['provenances', provenanceLabels(marking), 'provenance', ''],
    [
      'provenance descriptions',
      provenanceDescriptions(marking),
      'provenance',
      ''
    ],
    ['evidence tiers', evidenceLabels(marking), 'tier', '']
  ];

  it.each(maps)(
    'name every value of the contract: %s',
    (_, map, enumeration, after) => {
      expect(Object.keys(map).sort()).toEqual(
        Array.from(new Set(contractEnum(enumeration, after || undefined)))
      );
    }
  );

  it('are translated, and distinct where they name different values', () => {
    for (const map of [
      verdictLabels(marking),
      statusLabels(marking),
      groupLabels(marking),
      provenanceDescriptions(marking),
      evidenceLabels(marking),
      credentialSourceLabels(marking),
      verdictTitles(null, marking),
      integrationLabels(marking),
      grantsLabels(marking),
      accessTestLabels(marking),
      permissionLabels(marking),
      granteeLabels(marking)
    ]) {
      const labels = Object.values(map);
      for (const label of labels) {
        expect(label).toMatch(/^«.+»$/);
      }
      expect(new Set(labels).size).toBe(labels.length);
    }
    const probes = probeSentences(marking);
    for (const status of Object.keys(probes) as (keyof typeof probes)[]) {
      expect(probes[status]({ status, at: '' })).toMatch(/^«.+»$/);
    }
  });

  it('show a value this frontend does not know as it is', () => {
    expect(groupLabel('future')).toBe('future');
    expect(credentialSourceLabel('')).toBe('None');
    expect(credentialSourceLabel(null)).toBe('None');
    expect(provenanceLabel(undefined)).toBe('Unknown');
    expect(verdictTone(undefined)).toBe('pending');
    expect(verdictTone('propagated')).toBe('success');
  });
});
