/**
 * The tone (colour and icon) of a verdict and of a check status. Each map
 * names every value of its type, so a new verdict or status cannot be added
 * without a tone.
 */
import { CheckStatus, Verdict } from './types';

/**
 * The kind of a verdict for styling and icons.
 */
export type Tone = 'success' | 'warn' | 'error' | 'neutral' | 'pending';

/**
 * The tone of each verdict.
 */
export const VERDICT_TONES: Readonly<Record<Verdict, Tone>> = {
  propagated: 'success',
  not_propagated: 'error',
  unknown: 'warn',
  no_credentials: 'error',
  invalid_credentials: 'error',
  outside_studio: 'neutral'
};

/**
 * The tone of each check status.
 */
export const STATUS_TONES: Readonly<Record<CheckStatus, Tone>> = {
  pass: 'success',
  warn: 'warn',
  unknown: 'warn',
  fail: 'error',
  skip: 'neutral'
};

/**
 * The tone of a verdict; `pending` while there is none yet.
 */
export function verdictTone(verdict: Verdict | null | undefined): Tone {
  return (verdict && VERDICT_TONES[verdict]) || 'pending';
}

/**
 * The tone of a check status (`neutral` for a status this frontend does not
 * know).
 */
export function statusTone(status: CheckStatus): Tone {
  return STATUS_TONES[status] ?? 'neutral';
}
