import { TranslationBundle } from '@jupyterlab/translation';

import * as React from 'react';

import { throttledText } from '../budget';

import { defaultTrans } from '../translation';

import { StatusIcon } from './StatusIcon';

/**
 * Properties of `ThrottledNote`.
 */
export interface IThrottledNoteProps {
  /**
   * The IAM actions AWS throttles (the report's `budget.throttled`).
   */
  actions: ReadonlyArray<string>;
  trans?: TranslationBundle;
}

/**
 * A short note while AWS throttles this account's calls: which actions, and
 * that the extension asks less often until it stops. The live region stays
 * (empty while AWS answers normally), so screen readers hear the note when
 * it appears.
 */
export function ThrottledNote(props: IThrottledNoteProps): JSX.Element {
  const trans = props.trans ?? defaultTrans();
  const text = throttledText(props.actions, trans);
  return (
    <div
      className="jp-TrustedIdentity-throttledRegion"
      role="status"
      aria-live="polite"
    >
      {text && (
        <div
          className="jp-TrustedIdentity-throttled"
          data-throttled={props.actions.join(' ')}
        >
          <StatusIcon tone="warn" label="" />
          <p>{text}</p>
        </div>
      )}
    </div>
  );
}
