/**
 * Pure helpers that turn reports into words: labels, ordering, the cause and
 * the one thing to do, durations and the copyable summary. Every interface
 * string goes through the translation bundle. What the server derives (the
 * user's names, role names, the identity store id, the cause, each check's
 * words) is shown as sent: nothing here parses an ARN or picks a name.
 */
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';

import {
  CheckGroup,
  CheckStatus,
  EvidenceTier,
  ICheck,
  IProbeResult,
  IReport,
  Provenance,
  Verdict
} from './types';

/**
 * The translation domain of the extension.
 */
export const TRANSLATION_DOMAIN = 'jupyterlab_trusted_identity';

/**
 * The bundle used when no translator is given.
 */
export function defaultTrans(): TranslationBundle {
  return nullTranslator.load(TRANSLATION_DOMAIN);
}

/**
 * The kind of a verdict for styling and icons.
 */
export type Tone = 'success' | 'warn' | 'error' | 'neutral' | 'pending';

/**
 * The tone of a verdict.
 */
export function verdictTone(verdict: Verdict | null | undefined): Tone {
  switch (verdict) {
    case 'propagated':
      return 'success';
    case 'unknown':
      return 'warn';
    case 'outside_studio':
      return 'neutral';
    case 'not_propagated':
    case 'no_credentials':
    case 'invalid_credentials':
      return 'error';
    default:
      return 'pending';
  }
}

/**
 * The short label of a verdict ("Propagated", "Not propagated"...).
 */
export function verdictLabel(
  verdict: Verdict | null | undefined,
  trans: TranslationBundle = defaultTrans()
): string {
  switch (verdict) {
    case 'propagated':
      return trans.__('Propagated');
    case 'not_propagated':
      return trans.__('Not propagated');
    case 'unknown':
      return trans.__('Unknown');
    case 'no_credentials':
      return trans.__('No credentials');
    case 'invalid_credentials':
      return trans.__('Invalid credentials');
    case 'outside_studio':
      return trans.__('Outside Studio');
    default:
      return trans.__('Checking…');
  }
}

/**
 * The tone of a check status.
 */
export function statusTone(status: CheckStatus): Tone {
  switch (status) {
    case 'pass':
      return 'success';
    case 'warn':
    case 'unknown':
      return 'warn';
    case 'fail':
      return 'error';
    default:
      return 'neutral';
  }
}

/**
 * The label of a check status (also the text alternative of its icon).
 */
export function statusLabel(
  status: CheckStatus,
  trans: TranslationBundle = defaultTrans()
): string {
  switch (status) {
    case 'pass':
      return trans.__('Passed');
    case 'warn':
      return trans.__('Warning');
    case 'fail':
      return trans.__('Failed');
    case 'unknown':
      return trans.__('Unknown');
    case 'skip':
      return trans.__('Skipped');
    default:
      return String(status);
  }
}

/**
 * The label of the evidence a check rests on (EvidenceTier).
 */
export function evidenceLabel(
  tier: EvidenceTier,
  trans: TranslationBundle = defaultTrans()
): string {
  const labels: Record<EvidenceTier, string> = {
    proof: trans.__('first-hand proof'),
    credentials: trans.__("botocore's credentials"),
    configuration: trans.__('configuration read'),
    local: trans.__('local hint')
  };
  return labels[tier] ?? String(tier);
}

/**
 * The order of check statuses: failed and unknown first.
 */
const STATUS_RANK: Record<string, number> = {
  fail: 0,
  unknown: 1,
  warn: 2,
  pass: 3,
  skip: 4
};

/**
 * The canonical order of the check groups.
 */
export const GROUP_ORDER: CheckGroup[] = [
  'evidence',
  'credentials',
  'kernel',
  'studio',
  'identity',
  'services'
];

/**
 * The label of a check group.
 */
export function groupLabel(
  group: string,
  trans: TranslationBundle = defaultTrans()
): string {
  switch (group) {
    case 'evidence':
      return trans.__('Evidence');
    case 'credentials':
      return trans.__('Credentials');
    case 'studio':
      return trans.__('Studio');
    case 'identity':
      return trans.__('Identity');
    case 'services':
      return trans.__('Services');
    case 'kernel':
      return trans.__('Kernel');
    default:
      return group;
  }
}

/**
 * The group of a check: its `group`, else the prefix of its id.
 */
export function checkGroup(check: ICheck): string {
  return check.group || check.id.split('.', 1)[0];
}

/**
 * The rank of a status (lower is worse).
 */
export function statusRank(status: CheckStatus): number {
  return STATUS_RANK[status] ?? 5;
}

/**
 * Checks grouped by group, failed and unknown first: within a group by
 * status (required first on ties), and groups by their worst status, then in
 * the canonical order.
 */
export function groupChecks(
  checks: ReadonlyArray<ICheck>
): { group: string; checks: ICheck[]; worst: CheckStatus }[] {
  const groups = new Map<string, ICheck[]>();
  for (const check of checks) {
    const group = checkGroup(check);
    if (!groups.has(group)) {
      groups.set(group, []);
    }
    groups.get(group)!.push(check);
  }
  const canonical = (group: string) => {
    const index = GROUP_ORDER.indexOf(group as CheckGroup);
    return index < 0 ? GROUP_ORDER.length : index;
  };
  const result = Array.from(groups.entries()).map(([group, items]) => {
    const sorted = items
      .map((check, index) => ({ check, index }))
      .sort(
        (a, b) =>
          statusRank(a.check.status) - statusRank(b.check.status) ||
          Number(b.check.required) - Number(a.check.required) ||
          a.index - b.index
      )
      .map(item => item.check);
    return { group, checks: sorted, worst: sorted[0].status };
  });
  return result.sort(
    (a, b) =>
      Math.min(statusRank(a.worst), 2) - Math.min(statusRank(b.worst), 2) ||
      canonical(a.group) - canonical(b.group)
  );
}

/**
 * The check that explains a verdict, as the server chose it (`report.cause`):
 * the server weighs the evidence, so it alone decides what the banner says.
 */
export function causeOf(report: IReport): ICheck | null {
  return report.checks.find(check => check.id === report.cause) ?? null;
}

/**
 * The label of a provenance.
 */
export function provenanceLabel(
  provenance: Provenance | null | undefined,
  trans: TranslationBundle = defaultTrans()
): string {
  switch (provenance) {
    case 'cloudtrail':
      return trans.__('Verified by CloudTrail');
    case 'profile':
      return trans.__("From the space's user profile");
    default:
      return trans.__('Unknown');
  }
}

/**
 * What a provenance means, for its tooltip.
 */
export function provenanceDescription(
  provenance: Provenance | null | undefined,
  trans: TranslationBundle = defaultTrans()
): string {
  switch (provenance) {
    case 'cloudtrail':
      return trans.__(
        'CloudTrail attributes the AWS calls of this session to this IAM Identity Center user.'
      );
    case 'profile':
      return trans.__(
        "The space owner's user profile names this user; CloudTrail has not confirmed that the session acts for them."
      );
    default:
      return trans.__('The server could not establish which user this is.');
  }
}

/**
 * The label of a botocore credential provider.
 */
export function credentialSourceLabel(
  source: string | null | undefined,
  trans: TranslationBundle = defaultTrans()
): string {
  switch (source) {
    case 'container-role':
      return trans.__('Space container credentials (execution role)');
    case 'env':
      return trans.__('Environment variables (static keys)');
    case 'shared-credentials-file':
      return trans.__('Shared credentials file');
    case 'assume-role':
      return trans.__('Role assumed through a profile');
    case 'assume-role-with-web-identity':
      return trans.__('Web identity');
    case 'sso':
      return trans.__('IAM Identity Center profile');
    case 'iam-role':
      return trans.__('Instance role');
    case 'custom-process':
      return trans.__('Credential process');
    case null:
    case undefined:
    case '':
      return trans.__('None');
    default:
      return source;
  }
}

/**
 * The time left until `expiresAt`, in words ("in 59 min", "in 4:05",
 * "expired 3 min ago").
 */
export function formatRemaining(
  expiresAt: number,
  now: number,
  trans: TranslationBundle = defaultTrans()
): string {
  const seconds = Math.round((expiresAt - now) / 1000);
  if (seconds <= 0) {
    const ago = -seconds;
    if (ago < 60) {
      return trans.__('expired just now');
    }
    const minutes = Math.floor(ago / 60);
    if (minutes < 120) {
      return trans._n('expired %1 min ago', 'expired %1 min ago', minutes);
    }
    return trans._n(
      'expired %1 hour ago',
      'expired %1 hours ago',
      Math.floor(minutes / 60)
    );
  }
  if (seconds < 600) {
    const minutes = Math.floor(seconds / 60);
    const rest = String(seconds % 60).padStart(2, '0');
    return trans.__('in %1:%2', minutes, rest);
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) {
    return trans._n('in %1 min', 'in %1 min', minutes);
  }
  const hours = Math.floor(minutes / 60);
  return trans.__('in %1 h %2 min', hours, minutes % 60);
}

/**
 * A time in the user's locale (hours and minutes; the date if not today).
 */
export function formatTime(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') {
    return '';
  }
  const date = new Date(iso);
  if (isNaN(date.getTime())) {
    return String(iso);
  }
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString(undefined, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit'
      });
}

/**
 * The last segment of a path.
 */
export function baseName(path: string | null | undefined): string {
  if (!path) {
    return '';
  }
  const parts = path.split('/').filter(Boolean);
  return parts.length ? parts[parts.length - 1] : path;
}

/**
 * Shorten a sentence to at most `max` characters.
 */
export function truncate(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= max
    ? clean
    : `${clean.slice(0, max - 1).replace(/\s+$/, '')}…`;
}

/**
 * The headline and the one thing to do for a report, in words a data
 * scientist understands.
 */
export interface IVerdictWords {
  title: string;
  /**
   * What is wrong (or what is reassuring), or ''.
   */
  cause: string;
  /**
   * The one thing to do, or ''.
   */
  action: string;
  /**
   * A documentation link for the action, or ''.
   */
  docUrl: string;
  /**
   * Whether the cause is a contradiction between CloudTrail's proof and
   * what a configuration read says (the verdict follows the proof).
   */
  contradiction: boolean;
}

/**
 * The id of the finding the server reports when its evidence disagrees.
 */
export const CONTRADICTION_CHECK = 'evidence.consistent';

/**
 * The words of the verdict banner of the space's (server's) report.
 */
export function verdictWords(
  report: IReport,
  trans: TranslationBundle = defaultTrans()
): IVerdictWords {
  const name = report.user.shown_name;
  const cause = causeOf(report);
  const contradiction = cause?.id === CONTRADICTION_CHECK;
  const words: IVerdictWords = {
    title: '',
    cause: cause?.detail ?? '',
    action: cause?.remediation ?? '',
    docUrl: cause?.doc_url ?? '',
    contradiction
  };
  switch (report.verdict) {
    case 'propagated':
      words.title = name
        ? trans.__(
            'Your identity, %1, is propagated to connected AWS services',
            name
          )
        : trans.__('Your identity is propagated to connected AWS services');
      if (report.user.provenance !== 'cloudtrail' && !contradiction) {
        words.cause =
          report.user.provenance === 'profile'
            ? trans.__(
                "The user comes from the space's user profile; CloudTrail has not confirmed it yet."
              )
            : trans.__(
                'The session carries an identity, but the server could not tell which user it is.'
              );
      }
      break;
    case 'not_propagated':
      words.title = trans.__('Your identity is not propagated to AWS');
      break;
    case 'unknown':
      words.title = trans.__(
        'Could not confirm that your identity is propagated'
      );
      break;
    case 'no_credentials':
      words.title = trans.__('No AWS credentials are available');
      break;
    case 'invalid_credentials':
      words.title = trans.__("AWS rejects this space's credentials");
      break;
    case 'outside_studio':
      words.title = trans.__('Not running in a SageMaker Studio space');
      words.cause = trans.__(
        'Trusted identity propagation applies to Studio private spaces; only the AWS caller can be shown here.'
      );
      break;
    default:
      words.title = report.summary;
  }
  if (!words.cause && report.verdict !== 'propagated') {
    words.cause = report.summary;
  }
  return words;
}

/**
 * The cause of a kernel's verdict in a few words, for a notification or a
 * table row.
 */
export function kernelCause(
  report: IReport,
  trans: TranslationBundle = defaultTrans()
): string {
  const overridden = report.credentials?.overridden_by ?? [];
  if (overridden.length) {
    return trans._n(
      '%2 in its environment overrides the space credentials',
      '%2 in its environment override the space credentials',
      overridden.length,
      overridden.join(', ')
    );
  }
  const cause = causeOf(report);
  return truncate(cause?.detail || report.summary, 110);
}

/**
 * The text of the notification of a kernel that started without the
 * propagated identity.
 */
export function notificationText(
  report: IReport,
  documentName: string | null,
  trans: TranslationBundle = defaultTrans()
): string {
  const name =
    documentName ||
    baseName(report.scope.session_path) ||
    report.scope.kernel_name ||
    trans.__('a kernel');
  const cause = kernelCause(report, trans);
  switch (report.verdict) {
    case 'no_credentials':
      return trans.__(
        'The kernel of %1 has no AWS credentials: %2',
        name,
        cause
      );
    case 'invalid_credentials':
      return trans.__(
        'AWS rejects the credentials of the kernel of %1: %2',
        name,
        cause
      );
    default:
      return trans.__(
        'The kernel of %1 runs without your identity: %2',
        name,
        cause
      );
  }
}

/**
 * Whether a kernel verdict warrants a notification at launch.
 */
export function shouldNotify(verdict: Verdict): boolean {
  return (
    verdict === 'not_propagated' ||
    verdict === 'no_credentials' ||
    verdict === 'invalid_credentials'
  );
}

/**
 * The label of a probe result.
 */
export function probeLabel(
  probe: IProbeResult,
  trans: TranslationBundle = defaultTrans()
): string {
  switch (probe.status) {
    case 'ok':
      return probe.caller_arn
        ? trans.__(
            'boto3 in the kernel uses %1 credentials (%2) as %3',
            probe.method ?? trans.__('unknown'),
            probe.access_key_id ?? '?',
            probe.caller_arn
          )
        : trans.__(
            'boto3 in the kernel uses %1 credentials (%2); STS did not answer: %3',
            probe.method ?? trans.__('unknown'),
            probe.access_key_id ?? '?',
            probe.error ?? trans.__('unknown error')
          );
    case 'no-credentials':
      return trans.__('boto3 in the kernel finds no AWS credentials');
    case 'boto3-missing':
      return trans.__('boto3 is not installed in the kernel');
    case 'unsupported-language':
      return trans.__(
        'Not probed: the kernel language is %1, not Python',
        probe.language || trans.__('unknown')
      );
    default:
      return trans.__(
        'The probe failed: %1',
        probe.error ?? trans.__('unknown error')
      );
  }
}

/**
 * A kernel in the summary.
 */
export interface ISummaryKernel {
  name: string;
  report: IReport | null;
}

/**
 * A plain-text summary of the reports, without secrets (the server masks the
 * access key id and never sends a secret; nothing else is added here).
 */
export function identitySummary(
  report: IReport,
  kernels: ReadonlyArray<ISummaryKernel>,
  trans: TranslationBundle = defaultTrans()
): string {
  const lines: string[] = [];
  const dash = (value: string | null | undefined) => value || '—';
  const user = report.user;
  const studio = report.studio;
  lines.push(
    trans.__('Trusted identity propagation (%1)', report.generated_at)
  );
  lines.push(
    trans.__(
      'Space: %1 — %2',
      verdictLabel(report.verdict, trans),
      report.summary
    )
  );
  lines.push(
    trans.__(
      'User: %1 (user name %2, email %3, user id %4, identity store %5); %6',
      dash(user.display_name),
      dash(user.user_name),
      dash(user.email),
      dash(user.user_id),
      dash(user.identity_store_id),
      provenanceLabel(user.provenance, trans)
    )
  );
  lines.push(
    trans.__(
      'AWS session: %1; role %2; access key %3; source %4; expires %5',
      dash(report.role.caller_arn),
      dash(report.role.role_arn),
      dash(report.credentials.access_key_id),
      dash(report.credentials.source),
      dash(report.credentials.expires_at)
    )
  );
  lines.push(
    trans.__(
      'Studio: domain %1, space %2, user profile %3, app %4, region %5, sharing %6, remote access %7, TIP domain %8, TIP app %9',
      dash(studio.domain_id),
      dash(studio.space_name),
      dash(studio.user_profile_name),
      dash(
        [studio.app_type, studio.app_name].filter(Boolean).join(' ') || null
      ),
      dash(studio.region),
      dash(studio.sharing_type),
      dash(studio.remote_access),
      dash(studio.tip_domain),
      dash(studio.tip_app)
    )
  );
  const problems = report.checks.filter(
    check => check.status !== 'pass' && check.status !== 'skip'
  );
  if (problems.length) {
    lines.push(trans.__('Checks that did not pass:'));
    for (const check of problems) {
      lines.push(
        `- [${statusLabel(check.status, trans)}] ${check.id}: ${check.detail}`
      );
    }
  }
  if (kernels.length) {
    lines.push(trans.__('Kernels:'));
    for (const kernel of kernels) {
      const kernelReport = kernel.report;
      const overridden = kernelReport?.credentials.overridden_by ?? [];
      lines.push(
        `- ${kernel.name} (${dash(kernelReport?.scope.kernel_name)}): ${verdictLabel(
          kernelReport?.verdict,
          trans
        )}` +
          (overridden.length
            ? ` — ${trans.__('overridden by %1', overridden.join(', '))}`
            : '')
      );
    }
  }
  return lines.join('\n');
}
