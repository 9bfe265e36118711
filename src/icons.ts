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
 * One of this extension's icons: its name in JupyterLab's icon registry is
 * prefixed with the extension's, so no other extension's icon replaces it.
 */
export function ourIcon(name: string, svgstr: string): LabIcon {
  return new LabIcon({ name: `jupyterlab-trusted-identity:${name}`, svgstr });
}

/**
 * The icon of the panel (a shield with a person).
 */
export const identityIcon = ourIcon('identity', identitySvg);

/**
 * A passed check, a propagated identity.
 */
export const passIcon = ourIcon('pass', passSvg);

/**
 * A failed check, an identity not propagated.
 */
export const failIcon = ourIcon('fail', failSvg);

/**
 * A warning.
 */
export const warnIcon = ourIcon('warn', warnSvg);

/**
 * Something on its way.
 */
export const pendingIcon = ourIcon('pending', pendingSvg);

/**
 * Neutral information.
 */
export const infoIcon = ourIcon('info', infoSvg);

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
