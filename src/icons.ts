/**
 * The icons loaded at start-up: the panel's (its tab) and the tones' (the
 * status bar item). The icons of a check status are checkIcons.ts's, loaded
 * with the panel.
 */
import { LabIcon } from '@jupyterlab/ui-components';

import failSvg from '../style/icons/fail.svg';
import identitySvg from '../style/icons/identity.svg';
import infoSvg from '../style/icons/info.svg';
import passSvg from '../style/icons/pass.svg';
import pendingSvg from '../style/icons/pending.svg';
import warnSvg from '../style/icons/warn.svg';

import type { Tone } from './tones';

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
