/**
 * The audit trail's download: a file name, a save through the browser and
 * the command's action. Loaded by the command when the user asks for it.
 */
import { Notification } from '@jupyterlab/apputils';

import { TranslationBundle } from '@jupyterlab/translation';

import type { TrustedIdentityAPI } from './api';

/**
 * Save text as a file through a Blob and a temporary anchor.
 */
export function downloadText(
  filename: string,
  text: string,
  type: string
): void {
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Let the browser start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The file name of an audit download.
 */
export function auditFileName(now = new Date()): string {
  const stamp = now.toISOString().replace(/[:]/g, '').replace(/\..*$/, 'Z');
  return `trusted-identity-audit-${stamp}.csv`;
}

/**
 * Download the audit trail as CSV (the "Download the Identity Audit Trail"
 * command); a failure is told in a notification.
 *
 * @param options `download`: what saves the file (tests replace it).
 */
export async function downloadAudit(options: {
  api: TrustedIdentityAPI;
  trans: TranslationBundle;
  download?: (filename: string, text: string, type: string) => void;
}): Promise<void> {
  const { api, trans } = options;
  try {
    const csv = await api.auditCsv();
    const download = options.download ?? downloadText;
    download(auditFileName(), csv, 'text/csv;charset=utf-8');
  } catch (error) {
    Notification.error(
      trans.__(
        'The audit trail could not be downloaded: %1',
        error instanceof Error ? error.message : String(error)
      ),
      { autoClose: 8000 }
    );
  }
}
