/**
 * The sentence of each outcome of the probe inside a kernel.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { defaultTrans } from '../translation';

import { IProbeResult } from '../types';

/**
 * The sentence of each outcome of the probe inside a kernel.
 */
export function probeSentences(
  trans: TranslationBundle
): Record<IProbeResult['status'], (probe: IProbeResult) => string> {
  const unknownError = () => trans.__('unknown error');
  return {
    ok: probe =>
      probe.caller_arn
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
            probe.error ?? unknownError()
          ),
    'no-credentials': () =>
      trans.__('boto3 in the kernel finds no AWS credentials'),
    'boto3-missing': () => trans.__('boto3 is not installed in the kernel'),
    'unsupported-language': probe =>
      trans.__(
        'Not probed: the kernel language is %1, not Python',
        probe.language || trans.__('unknown')
      ),
    error: probe =>
      trans.__('The probe failed: %1', probe.error ?? unknownError())
  };
}

/**
 * The sentence of what the probe inside a kernel found.
 */
export function probeLabel(
  probe: IProbeResult,
  trans: TranslationBundle = defaultTrans()
): string {
  const sentences = probeSentences(trans);
  return (sentences[probe.status] ?? sentences.error)(probe);
}
