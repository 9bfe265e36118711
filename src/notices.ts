/**
 * The notifications the extension raises: a kernel that started without the
 * propagated identity, a failed version handshake, an explicit check the
 * server rate-limited. What decides that one is due runs at start-up
 * (src/plugins/, src/notifications.ts); this module, its words and its
 * actions load (the lazy chunk) only when one is.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';

import { TranslationBundle } from '@jupyterlab/translation';

import { rateLimitedMessage } from './budget';

import { notificationSummary } from './handshake';

import { baseName } from './text';

import { defaultTrans } from './translation';

import { IReport, IReportBudget } from './types';

import { kernelCause, NotifiedVerdict, shouldNotify } from './verdict';

import type { HandshakeResult } from './version';

/**
 * The notification of each notified verdict, for the kernel's document
 * (`%1`) and its cause (`%2`).
 */
function notificationSentences(
  name: string,
  cause: string,
  trans: TranslationBundle
): Record<NotifiedVerdict, string> {
  return {
    not_propagated: trans.__(
      'The kernel of %1 runs without your identity: %2',
      name,
      cause
    ),
    no_credentials: trans.__(
      'The kernel of %1 has no AWS credentials: %2',
      name,
      cause
    ),
    invalid_credentials: trans.__(
      'AWS rejects the credentials of the kernel of %1: %2',
      name,
      cause
    )
  };
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
  const sentences = notificationSentences(
    name,
    kernelCause(report, trans),
    trans
  );
  return shouldNotify(report.verdict)
    ? sentences[report.verdict]
    : sentences.not_propagated;
}

/**
 * Warn that a kernel started without the propagated identity, with a button
 * that opens the panel and, when the settings can be written, one that turns
 * these notifications off.
 */
export function notifyKernelStart(options: {
  report: IReport;
  documentName: string | null;
  trans: TranslationBundle;
  openPanel: () => void;
  turnOff: (() => void) | null;
}): void {
  const { trans, turnOff } = options;
  const actions: Notification.IAction[] = [
    {
      label: trans.__('Open panel'),
      caption: trans.__('Open the Trusted identity panel'),
      displayType: 'accent',
      callback: options.openPanel
    }
  ];
  if (turnOff) {
    actions.push({
      label: trans.__("Don't notify again"),
      caption: trans.__(
        'Turn off the setting "Notify when the identity is not propagated"'
      ),
      callback: turnOff
    });
  }
  Notification.warning(
    notificationText(options.report, options.documentName, trans),
    { autoClose: 15000, actions }
  );
}

/**
 * Warn that the server extension is missing or of another version, until
 * dismissed; its details (what to install and how) open in a dialog.
 */
export function notifyHandshake(
  result: Exclude<HandshakeResult, { ok: true }>,
  trans: TranslationBundle
): void {
  Notification.warning(notificationSummary(result, trans), {
    autoClose: false,
    actions: [
      {
        label: trans.__('Details'),
        callback: () => {
          void showDialog({
            title: trans.__('Trusted identity: server extension'),
            body: result.message,
            buttons: [Dialog.okButton()]
          });
        }
      }
    ]
  });
}

/**
 * How long the rate-limit notification stays, in milliseconds.
 */
const RATE_LIMITED_AUTO_CLOSE = 8000;

/**
 * Tell the user (an info notification, never an error) that their explicit
 * check was rate limited: the notification `shown` (its id) is updated while
 * it is still up, instead of stacking a new one.
 *
 * @returns The id of the notification shown, or `shown` when there was
 *   nothing to say.
 */
export function showRateLimited(
  budget: IReportBudget,
  trans: TranslationBundle,
  shown: string | null
): string | null {
  const message = rateLimitedMessage(budget, trans);
  if (!message) {
    return shown;
  }
  const options = { autoClose: RATE_LIMITED_AUTO_CLOSE };
  if (
    shown !== null &&
    Notification.update({ id: shown, message, type: 'info', ...options })
  ) {
    return shown;
  }
  return Notification.info(message, options);
}
