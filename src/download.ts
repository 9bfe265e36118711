/**
 * The audit trail's download: a file name and a save through the browser.
 * Loaded by the command when the user asks for it.
 */

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
