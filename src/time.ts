/**
 * Times and durations in the user's words and locale.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { defaultTrans } from './translation';

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
