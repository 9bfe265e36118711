import { LabIcon } from '@jupyterlab/ui-components';

import failSvg from '../style/icons/fail.svg';
import identitySvg from '../style/icons/identity.svg';
import infoSvg from '../style/icons/info.svg';
import passSvg from '../style/icons/pass.svg';
import pendingSvg from '../style/icons/pending.svg';
import skipSvg from '../style/icons/skip.svg';
import unknownSvg from '../style/icons/unknown.svg';
import warnSvg from '../style/icons/warn.svg';

import type { Tone } from './tones';

import { CheckStatus } from './types';

/**
 * The icon of the panel (a shield with a person).
 */
export const identityIcon = new LabIcon({
  name: 'jupyterlab-trusted-identity:identity',
  svgstr: identitySvg
});

/**
 * A passed check, a propagated identity.
 */
export const passIcon = new LabIcon({
  name: 'jupyterlab-trusted-identity:pass',
  svgstr: passSvg
});

/**
 * A failed check, an identity not propagated.
 */
export const failIcon = new LabIcon({
  name: 'jupyterlab-trusted-identity:fail',
  svgstr: failSvg
});

/**
 * A warning.
 */
export const warnIcon = new LabIcon({
  name: 'jupyterlab-trusted-identity:warn',
  svgstr: warnSvg
});

/**
 * Something that could not be told.
 */
export const unknownIcon = new LabIcon({
  name: 'jupyterlab-trusted-identity:unknown',
  svgstr: unknownSvg
});

/**
 * A skipped check.
 */
export const skipIcon = new LabIcon({
  name: 'jupyterlab-trusted-identity:skip',
  svgstr: skipSvg
});

/**
 * Something on its way.
 */
export const pendingIcon = new LabIcon({
  name: 'jupyterlab-trusted-identity:pending',
  svgstr: pendingSvg
});

/**
 * Neutral information.
 */
export const infoIcon = new LabIcon({
  name: 'jupyterlab-trusted-identity:info',
  svgstr: infoSvg
});

/**
 * The icon of a tone.
 */
export function toneIcon(tone: Tone): LabIcon {
  switch (tone) {
    case 'success':
      return passIcon;
    case 'warn':
      return warnIcon;
    case 'error':
      return failIcon;
    case 'pending':
      return pendingIcon;
    default:
      return infoIcon;
  }
}

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
