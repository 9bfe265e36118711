/**
 * Small string helpers: a document's name from its path, a sentence
 * shortened to fit a row or a notification.
 */

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
