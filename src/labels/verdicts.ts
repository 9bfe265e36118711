/**
 * The label of each verdict. Loaded at start-up (the status bar item): it
 * holds nothing else.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { defaultTrans } from '../translation';

import { Verdict } from '../types';

/**
 * The short label of each verdict ("Propagated", "Not propagated"...).
 */
export function verdictLabels(
  trans: TranslationBundle
): Record<Verdict, string> {
  return {
    propagated: trans.__('Propagated'),
    not_propagated: trans.__('Not propagated'),
    unknown: trans.__('Unknown'),
    no_credentials: trans.__('No credentials'),
    invalid_credentials: trans.__('Invalid credentials'),
    outside_studio: trans.__('Outside Studio')
  };
}

/**
 * The label of a verdict; "Checking…" while there is none yet.
 */
export function verdictLabel(
  verdict: Verdict | null | undefined,
  trans: TranslationBundle = defaultTrans()
): string {
  return (verdict && verdictLabels(trans)[verdict]) || trans.__('Checking…');
}
