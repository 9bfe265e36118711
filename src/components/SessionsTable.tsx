import { TranslationBundle } from '@jupyterlab/translation';

import {
  consoleIcon,
  kernelIcon,
  notebookIcon,
  refreshIcon
} from '@jupyterlab/ui-components';

import * as React from 'react';

import { probeLabel, verdictLabels } from '../labels';

import { Tone, verdictTone } from '../tones';

import { defaultTrans } from '../translation';

import { kernelCause } from '../verdict';

import { IProbeResult, IReport, Verdict } from '../types';

import { VariableList } from './IdentitySection';

import { StatusIcon } from './StatusIcon';

/**
 * One row of the sessions table: a notebook or console (or a kernel without
 * an open document) and its kernel's report.
 */
export interface ISessionRow {
  key: string;
  /**
   * The document's name.
   */
  name: string;
  path: string;
  kind: 'notebook' | 'console' | 'kernel';
  kernelId: string | null;
  kernelDisplayName: string;
  report: IReport | null;
  /**
   * Whether a check is on its way.
   */
  checking: boolean;
  /**
   * The message of the latest failed check.
   */
  error: string | null;
  probe: IProbeResult | null;
  /**
   * Whether the row's document can be activated.
   */
  activatable: boolean;
  /**
   * Whether it is the current document.
   */
  current: boolean;
}

/**
 * Properties of `SessionsTable`.
 */
export interface ISessionsTableProps {
  rows: ReadonlyArray<ISessionRow>;
  onActivate?: (row: ISessionRow) => void;
  onRecheck?: (row: ISessionRow) => void;
  trans?: TranslationBundle;
}

/**
 * The verdict of a row: its report's, or the state of its check.
 */
function rowVerdict(
  row: ISessionRow,
  verdicts: Record<Verdict, string>,
  trans: TranslationBundle
): {
  tone: Tone;
  label: string;
  state: string;
} {
  if (!row.kernelId) {
    return {
      tone: 'neutral',
      label: trans.__('No kernel'),
      state: 'no-kernel'
    };
  }
  if (row.checking && !row.report) {
    return { tone: 'pending', label: trans.__('Checking…'), state: 'checking' };
  }
  if (row.report) {
    return {
      tone: verdictTone(row.report.verdict),
      label: verdicts[row.report.verdict] ?? trans.__('Checking…'),
      state: row.report.verdict
    };
  }
  if (row.error) {
    return { tone: 'warn', label: trans.__('Check failed'), state: 'error' };
  }
  return {
    tone: 'pending',
    label: trans.__('Not checked'),
    state: 'unchecked'
  };
}

/**
 * One row per running notebook and console kernel with its verdict and the
 * variables that override the space credentials. Activating a row shows its
 * document; each row has a re-check button.
 */
export function SessionsTable(props: ISessionsTableProps): JSX.Element {
  const trans = props.trans ?? defaultTrans();
  if (!props.rows.length) {
    return (
      <p className="jp-TrustedIdentity-muted jp-TrustedIdentity-note">
        {trans.__(
          'No notebook or console is running a kernel. Each kernel is checked when it starts.'
        )}
      </p>
    );
  }
  const verdicts = verdictLabels(trans);
  return (
    <ul
      className="jp-TrustedIdentity-sessions"
      aria-label={trans.__('Kernel sessions')}
    >
      {props.rows.map(row => {
        const verdict = rowVerdict(row, verdicts, trans);
        const icon =
          row.kind === 'notebook'
            ? notebookIcon
            : row.kind === 'console'
              ? consoleIcon
              : kernelIcon;
        const overridden = row.report?.credentials.overridden_by ?? [];
        const user =
          row.report?.verdict === 'propagated'
            ? row.report.user.short_name
            : null;
        const cause =
          row.report &&
          overridden.length === 0 &&
          verdict.tone !== 'success' &&
          verdict.tone !== 'neutral'
            ? kernelCause(row.report, trans)
            : null;
        const main = (
          <>
            <icon.react
              tag="span"
              className="jp-TrustedIdentity-sessionIcon"
              elementSize="normal"
            />
            <span className="jp-TrustedIdentity-sessionText">
              <span className="jp-TrustedIdentity-sessionName">{row.name}</span>
              <span className="jp-TrustedIdentity-sessionKernel">
                {row.kernelDisplayName}
              </span>
              <span
                className={`jp-TrustedIdentity-sessionVerdict jp-mod-${verdict.tone}`}
              >
                <StatusIcon tone={verdict.tone} label="" />
                <span>{verdict.label}</span>
              </span>
            </span>
          </>
        );
        return (
          <li
            key={row.key}
            className={`jp-TrustedIdentity-session${
              row.current ? ' jp-mod-current' : ''
            }`}
            data-kernel-id={row.kernelId ?? ''}
            data-path={row.path}
            data-verdict={verdict.state}
          >
            <div className="jp-TrustedIdentity-sessionRow">
              {row.activatable && props.onActivate ? (
                <button
                  type="button"
                  className="jp-TrustedIdentity-sessionMain"
                  title={trans.__('Show %1', row.path || row.name)}
                  aria-label={trans.__(
                    '%1, %2: %3. Show the document.',
                    row.name,
                    row.kernelDisplayName,
                    verdict.label
                  )}
                  aria-current={row.current ? 'true' : undefined}
                  onClick={() => props.onActivate?.(row)}
                >
                  {main}
                </button>
              ) : (
                <div
                  className="jp-TrustedIdentity-sessionMain"
                  title={row.path || row.name}
                >
                  {main}
                </div>
              )}
              {row.kernelId && props.onRecheck && (
                <button
                  type="button"
                  className="jp-Button jp-mod-minimal jp-TrustedIdentity-recheck"
                  title={trans.__('Re-check the kernel of %1', row.name)}
                  aria-label={trans.__('Re-check the kernel of %1', row.name)}
                  disabled={row.checking}
                  onClick={() => props.onRecheck?.(row)}
                >
                  <refreshIcon.react
                    tag="span"
                    elementSize="normal"
                    className={row.checking ? 'jp-TrustedIdentity-spin' : ''}
                  />
                </button>
              )}
            </div>
            {(user ||
              overridden.length > 0 ||
              cause ||
              row.error ||
              row.probe) && (
              <div className="jp-TrustedIdentity-sessionDetail">
                {user && <span>{trans.__('Acts as %1', user)}</span>}
                {overridden.length > 0 && (
                  <span>
                    {trans.__('Overridden by')}{' '}
                    <VariableList names={overridden} />
                  </span>
                )}
                {cause && <span>{cause}</span>}
                {row.error && (
                  <span className="jp-TrustedIdentity-muted">
                    {trans.__('The check failed: %1', row.error)}
                  </span>
                )}
                {row.probe && (
                  <span
                    className="jp-TrustedIdentity-probe"
                    data-probe={row.probe.status}
                  >
                    {probeLabel(row.probe, trans)}
                  </span>
                )}
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
