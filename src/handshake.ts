/**
 * The words of a failed version handshake: the console's message with what
 * to install and how, and the notification's short text. Loaded only when a
 * handshake fails (version.ts decides a successful one on its own).
 */
import { ServerConnection } from '@jupyterlab/services';

import { TranslationBundle } from '@jupyterlab/translation';

import { defaultTrans } from './translation';

import { installSteps, sameVersion, wheelName } from './install';

import {
  EXTENSION_NAME,
  FRONTEND_VERSION,
  HandshakeResult,
  SCHEMA_VERSION,
  serverVersion,
  successMessage
} from './version';

/**
 * What to do when the server extension is missing or mismatched, in one
 * paragraph (for the console and the notification's details).
 */
function fixHint(frontendVersion: string): string {
  const steps = installSteps(frontendVersion);
  return `${steps.before} \`${steps.command}\`. ${steps.after}`;
}

/**
 * Compare the answer of the version route with this frontend.
 *
 * @param server The parsed body of `GET trusted-identity/version`.
 * @param frontendVersion The frontend package version.
 */
export function compareVersions(
  server: unknown,
  frontendVersion: string = FRONTEND_VERSION
): HandshakeResult {
  const answer = serverVersion(server);
  if (!answer) {
    return {
      ok: false,
      problem: 'error',
      server: null,
      message:
        `${EXTENSION_NAME}: the server extension answered the version check ` +
        `with an unexpected body (${JSON.stringify(server)}). ` +
        fixHint(frontendVersion)
    };
  }
  if (answer.schema_version !== SCHEMA_VERSION) {
    return {
      ok: false,
      problem: 'mismatch',
      server: answer,
      message:
        `${EXTENSION_NAME}: version mismatch: the server extension speaks REST ` +
        `schema ${answer.schema_version}, this frontend expects schema ` +
        `${SCHEMA_VERSION} (server ${answer.version}, frontend ` +
        `${frontendVersion}). ` +
        fixHint(frontendVersion)
    };
  }
  if (!sameVersion(answer.version, frontendVersion)) {
    return {
      ok: false,
      problem: 'mismatch',
      server: answer,
      message:
        `${EXTENSION_NAME}: version mismatch: the server extension is ` +
        `${answer.version} but the JupyterLab frontend is ${frontendVersion}. ` +
        fixHint(frontendVersion)
    };
  }
  return { ok: true, server: answer, message: successMessage(answer) };
}

/**
 * The handshake's outcome when the version route did not answer: missing
 * (404) or not asked (any other failure).
 *
 * @param reason What the request threw.
 * @param frontendVersion The frontend package version.
 */
export function unanswered(
  reason: unknown,
  frontendVersion: string = FRONTEND_VERSION
): HandshakeResult {
  if (
    reason instanceof ServerConnection.ResponseError &&
    reason.response.status === 404
  ) {
    return {
      ok: false,
      problem: 'missing',
      server: null,
      message:
        `${EXTENSION_NAME}: the server extension is missing: ` +
        'GET trusted-identity/version answered 404, so the ' +
        'jupyterlab_trusted_identity server extension is not installed, ' +
        'not enabled, or failed to load (see the JupyterLab server log). ' +
        fixHint(frontendVersion)
    };
  }
  const detail = reason instanceof Error ? reason.message : String(reason);
  return {
    ok: false,
    problem: 'error',
    server: null,
    message:
      `${EXTENSION_NAME}: could not check the server extension version: ` +
      `${detail}. If the server extension is missing or mismatched: ` +
      fixHint(frontendVersion)
  };
}

/**
 * The short text of the notification of a failed handshake (a notification
 * shows about 140 characters; the full message goes to the console and to the
 * notification's Details).
 *
 * @param result The failed handshake.
 * @param trans The translation bundle.
 * @param frontendVersion The frontend package version.
 */
export function notificationSummary(
  result: Exclude<HandshakeResult, { ok: true }>,
  trans: TranslationBundle = defaultTrans(),
  frontendVersion: string = FRONTEND_VERSION
): string {
  const wheel = wheelName(frontendVersion);
  switch (result.problem) {
    case 'missing':
      return trans.__(
        'Trusted identity: server extension missing. Install %1, then restart Jupyter.',
        wheel
      );
    case 'mismatch':
      return trans.__(
        'Trusted identity: server extension %1, frontend %2. Install %3, then restart Jupyter.',
        result.server?.schema_version === SCHEMA_VERSION
          ? result.server.version
          : `${result.server?.version}, schema ${result.server?.schema_version}`,
        frontendVersion,
        wheel
      );
    default:
      return trans.__(
        'Trusted identity: could not check the server extension version.'
      );
  }
}
