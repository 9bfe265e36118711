/**
 * The icon of each check status, for the panel's checks (loaded with the
 * panel): the tones' icons (icons.ts) and two that only checks use.
 */
import { LabIcon } from '@jupyterlab/ui-components';

import skipSvg from '../style/icons/skip.svg';
import unknownSvg from '../style/icons/unknown.svg';

import { failIcon, ourIcon, passIcon, warnIcon } from './icons';

import { CheckStatus } from './types';

/**
 * Something that could not be told.
 */
export const unknownIcon = ourIcon('unknown', unknownSvg);

/**
 * A skipped check.
 */
export const skipIcon = ourIcon('skip', skipSvg);

/**
 * The icon of a check status.
 */
export function statusIcon(status: CheckStatus): LabIcon {
  switch (status) {
    case 'pass':
      return passIcon;
    case 'fail':
      return failIcon;
    case 'warn':
      return warnIcon;
    case 'unknown':
      return unknownIcon;
    default:
      return skipIcon;
  }
}
