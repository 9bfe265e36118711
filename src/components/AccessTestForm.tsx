import { TranslationBundle } from '@jupyterlab/translation';

import * as React from 'react';

import {
  ACCESS_PERMISSIONS,
  ACCESS_TEST_TONES,
  accessTestLabels,
  granteeLabels,
  permissionLabels
} from '../labels';

import { formatTime } from '../time';

import { defaultTrans } from '../translation';

import { AccessPermission, GranteeType, IAccessTestResult } from '../types';

import { DocLink } from './DocLink';

import { Fact } from './IdentitySection';

import { StatusIcon } from './StatusIcon';

/**
 * What came of an access test, as the form shows it:
 *
 * - `result`: the server's answer.
 * - `invalid`: the server refused the input (400); its message is shown next
 *   to the input and nothing else changes.
 * - `rate-limited`: tests came too fast (429); an information.
 * - `failed`: the request failed; its message.
 */
export type AccessTestOutcome =
  | { kind: 'result'; result: IAccessTestResult }
  | { kind: 'invalid'; message: string }
  | { kind: 'rate-limited'; message: string }
  | { kind: 'failed'; message: string };

/**
 * An outcome shown below the form (a refused input is shown next to the
 * input instead).
 */
type ShownOutcome = Exclude<AccessTestOutcome, { kind: 'invalid' }>;

/**
 * Properties of `AccessTestForm`.
 */
export interface IAccessTestFormProps {
  /**
   * Run the test (the panel wires it to the model); it resolves with what
   * came of it and never rejects.
   */
  onTest: (
    target: string,
    permission: AccessPermission
  ) => Promise<AccessTestOutcome>;
  trans?: TranslationBundle;
}

/**
 * The scheme every S3 URI starts with: checked only to help typing; the
 * server judges the input.
 */
const S3_SCHEME = 's3://';

/**
 * An example S3 URI, for the placeholder and the input's hint.
 */
const EXAMPLE = 's3://bucket/prefix/';

/**
 * The "Test access" form: an S3 URI, a permission and a Test button. A test
 * runs only when the user presses the button; the answer shows whether S3
 * Access Grants allows it, the grant that matched and its grantee, and
 * whether that grantee is the user (first-hand proof that the identity
 * reaches the service).
 */
export function AccessTestForm(props: IAccessTestFormProps): JSX.Element {
  const trans = props.trans ?? defaultTrans();
  const id = React.useId();
  const [target, setTarget] = React.useState('');
  const [permission, setPermission] = React.useState<AccessPermission>('READ');
  const [inputError, setInputError] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);
  const [outcome, setOutcome] = React.useState<ShownOutcome | null>(null);
  const mounted = React.useRef(true);
  React.useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const permissions = permissionLabels(trans);
  const errorId = `${id}-error`;

  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (busy) {
      return;
    }
    const value = target.trim();
    if (!value.startsWith(S3_SCHEME)) {
      setInputError(
        trans.__('Enter an S3 URI that starts with s3://, e.g. %1', EXAMPLE)
      );
      return;
    }
    setInputError(null);
    setBusy(true);
    const next = await props.onTest(value, permission);
    if (!mounted.current) {
      return;
    }
    setBusy(false);
    if (next.kind === 'invalid') {
      setInputError(next.message);
    } else {
      setOutcome(next);
    }
  };

  return (
    <div className="jp-TrustedIdentity-accessTest">
      <div className="jp-TrustedIdentity-subheading">
        <h3 id={`${id}-heading`}>{trans.__('Test access')}</h3>
      </div>
      <form
        className="jp-TrustedIdentity-accessTestForm"
        aria-labelledby={`${id}-heading`}
        noValidate
        onSubmit={event => void onSubmit(event)}
      >
        <label htmlFor={`${id}-target`}>{trans.__('S3 URI')}</label>
        <input
          id={`${id}-target`}
          name="target"
          type="text"
          className="jp-mod-styled"
          placeholder={EXAMPLE}
          spellCheck={false}
          autoComplete="off"
          value={target}
          aria-invalid={inputError ? true : undefined}
          aria-describedby={inputError ? errorId : undefined}
          onChange={event => {
            setTarget(event.target.value);
            setInputError(null);
          }}
        />
        <label htmlFor={`${id}-permission`}>{trans.__('Permission')}</label>
        <select
          id={`${id}-permission`}
          name="permission"
          className="jp-mod-styled"
          value={permission}
          onChange={event =>
            setPermission(event.target.value as AccessPermission)
          }
        >
          {ACCESS_PERMISSIONS.map(value => (
            <option key={value} value={value}>
              {permissions[value]}
            </option>
          ))}
        </select>
        <button
          type="submit"
          className="jp-Button jp-mod-styled jp-mod-accept"
          disabled={busy}
          aria-busy={busy || undefined}
        >
          {busy ? trans.__('Testing…') : trans.__('Test')}
        </button>
        {inputError && (
          <p
            id={errorId}
            className="jp-TrustedIdentity-inputError"
            role="alert"
          >
            {inputError}
          </p>
        )}
      </form>
      <div
        className="jp-TrustedIdentity-accessOutcome"
        role="status"
        aria-live="polite"
      >
        {outcome && <Outcome outcome={outcome} trans={trans} />}
      </div>
    </div>
  );
}

/**
 * What came of the latest test (an input the server refused is shown next
 * to the input instead).
 */
function Outcome(props: {
  outcome: ShownOutcome;
  trans: TranslationBundle;
}): JSX.Element {
  const { outcome, trans } = props;
  if (outcome.kind === 'rate-limited') {
    return (
      <div className="jp-TrustedIdentity-throttled" data-outcome="rate-limited">
        <StatusIcon tone="neutral" label="" />
        <p>{outcome.message}</p>
      </div>
    );
  }
  if (outcome.kind === 'failed') {
    return (
      <p className="jp-TrustedIdentity-inputError" data-outcome="failed">
        {outcome.message}
      </p>
    );
  }
  return <AccessTestResult result={outcome.result} trans={trans} />;
}

/**
 * The server's answer to an access test.
 */
export function AccessTestResult(props: {
  result: IAccessTestResult;
  trans?: TranslationBundle;
}): JSX.Element {
  const trans = props.trans ?? defaultTrans();
  const { result } = props;
  const tone = ACCESS_TEST_TONES[result.status] ?? 'neutral';
  const label = accessTestLabels(trans)[result.status] ?? result.status;
  const permission =
    permissionLabels(trans)[result.permission] ?? result.permission;
  const grantee = result.grantee;
  const expected = result.grantee_is_expected_user;
  return (
    <div
      className={`jp-TrustedIdentity-serviceState jp-mod-${tone}`}
      data-outcome="result"
      data-status={result.status}
    >
      <p className="jp-TrustedIdentity-serviceStateTitle">
        <StatusIcon tone={tone} label={label} />
        <span>{result.title}</span>
      </p>
      <div className="jp-TrustedIdentity-checkBody">
        {result.detail && <p>{result.detail}</p>}
        {result.remediation && (
          <p className="jp-TrustedIdentity-remediation">
            <strong>{trans.__('What to do:')}</strong> {result.remediation}
          </p>
        )}
        <dl className="jp-TrustedIdentity-facts">
          <Fact
            name="target"
            term={trans.__('Tested')}
            value={`${result.target} (${permission})`}
            mono
            trans={trans}
          />
          <Fact
            name="matched_grant_target"
            term={trans.__('Matched grant')}
            value={
              result.matched_grant_target ??
              (result.status === 'denied' ? trans.__('None') : null)
            }
            mono
            trans={trans}
          />
          {grantee && (
            <Fact
              name="grantee"
              term={trans.__('Grantee')}
              value={`${
                granteeLabels(trans)[grantee.type as GranteeType] ??
                grantee.type
              }: ${grantee.identifier}`}
              trans={trans}
            />
          )}
          {grantee && (
            <Fact
              name="grantee_is_expected_user"
              term={trans.__('Is it you?')}
              value={
                expected === true ? (
                  <span className="jp-TrustedIdentity-value jp-mod-good">
                    {trans.__('Yes: first-hand proof of propagation')}
                  </span>
                ) : expected === false ? (
                  // A group's grant names the group, not the user.
                  <span
                    className={`jp-TrustedIdentity-value ${
                      grantee.type === 'DIRECTORY_GROUP' ? '' : 'jp-mod-bad'
                    }`}
                  >
                    {trans.__('No')}
                  </span>
                ) : null
              }
              trans={trans}
            />
          )}
          {result.status === 'unknown' && result.iam_action && (
            <Fact
              name="iam_action"
              term={trans.__('IAM action')}
              value={
                result.error_code
                  ? `${result.iam_action} ${trans.__('(AWS error %1)', result.error_code)}`
                  : result.iam_action
              }
              mono
              trans={trans}
            />
          )}
          <Fact
            name="checked_at"
            term={trans.__('Checked at')}
            value={formatTime(result.checked_at)}
            trans={trans}
          />
        </dl>
        {result.doc_url && (
          <p className="jp-TrustedIdentity-checkFooter">
            <DocLink href={result.doc_url}>{trans.__('Documentation')}</DocLink>
          </p>
        )}
      </div>
    </div>
  );
}
