import { LabIcon } from '@jupyterlab/ui-components';

import * as React from 'react';

import { Tone } from '../tones';

import { toneIcon } from '../icons';

/**
 * Properties of `StatusIcon`.
 */
export interface IStatusIconProps {
  /**
   * The tone: it gives the colour and, unless `icon` is set, the icon.
   */
  tone: Tone;
  /**
   * The text alternative of the icon, or '' when a visible label next to it
   * says the same (the icon is then hidden from assistive technology).
   */
  label: string;
  /**
   * Another icon than the tone's.
   */
  icon?: LabIcon;
  className?: string;
}

/**
 * A coloured status icon with a text alternative.
 */
export function StatusIcon(props: IStatusIconProps): JSX.Element {
  const { tone, label } = props;
  const icon = props.icon ?? toneIcon(tone);
  const className = [
    'jp-TrustedIdentity-statusIcon',
    `jp-mod-${tone}`,
    props.className ?? ''
  ]
    .join(' ')
    .trim();
  return label ? (
    <span className={className} role="img" aria-label={label} title={label}>
      <icon.react tag="span" elementSize="normal" />
    </span>
  ) : (
    <span className={className} aria-hidden="true">
      <icon.react tag="span" elementSize="normal" />
    </span>
  );
}
