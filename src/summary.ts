/**
 * The plain-text summary of the reports that the "Copy the Identity Summary"
 * command puts on the clipboard (for a support ticket or a chat), and the
 * command's action, loaded when the user runs it.
 */
import { Clipboard, Notification } from '@jupyterlab/apputils';

import { TranslationBundle } from '@jupyterlab/translation';

import type { TrustedIdentityModel } from './model';

import type { KernelSessionTracker } from './tracker';

import { provenanceLabel, statusLabels, verdictLabel } from './labels';

import { defaultTrans } from './translation';

import { IReport } from './types';

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
    const statuses = statusLabels(trans);
    lines.push(trans.__('Checks that did not pass:'));
    for (const check of problems) {
      lines.push(
        `- [${statuses[check.status] ?? check.status}] ${check.id}: ${check.detail}`
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

/**
 * Copy the summary of the space's report and of the followed kernels' to the
 * clipboard and say so (the "Copy the Identity Summary" command).
 *
 * @param options `copy`: what puts text on the clipboard (tests replace it).
 */
export function copySummary(options: {
  model: TrustedIdentityModel;
  tracker: KernelSessionTracker | null;
  trans: TranslationBundle;
  copy?: (text: string) => void;
}): void {
  const { model, tracker, trans } = options;
  const report = model.report;
  if (!report) {
    return;
  }
  const kernels = (tracker?.sessions ?? [])
    .filter(session => session.kernelId)
    .map(session => ({
      name: session.name,
      report: model.kernel(session.kernelId)?.report ?? null
    }));
  const copy = options.copy ?? ((text: string) => Clipboard.copyToSystem(text));
  copy(identitySummary(report, kernels, trans));
  Notification.info(trans.__('Identity summary copied to the clipboard.'), {
    autoClose: 3000
  });
}
