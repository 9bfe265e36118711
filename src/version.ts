import { ServerConnection } from '@jupyterlab/services';

import { TranslationBundle } from '@jupyterlab/translation';

import { defaultTrans } from './format';

import { requestAPI } from './request';

/**
 * The REST schema version this frontend speaks (see the REST contract).
 */
export const SCHEMA_VERSION = 1;

/**
 * The name of the Python package that carries the server extension.
 */
export const PYTHON_PACKAGE = 'jupyterlab-trusted-identity';

// The bundler (and jest) resolve `require`; only Node's type definitions are
// not loaded for this browser code.
declare const require: (id: string) => { version: string };

/**
 * The version of this frontend package, read from its package.json at build
 * time (the path is the same from `src/` and from the compiled `lib/`).
 */
export const FRONTEND_VERSION: string = require('../package.json').version;

/**
 * The answer of `GET trusted-identity/version`.
 */
export interface IServerVersion {
  /**
   * The version of the Python package.
   */
  version: string;
  /**
   * The REST schema version.
   */
  schema_version: number;
}

/**
 * Why the handshake failed.
 *
 * - `missing`: the route does not exist (404): the server extension is not
 *   installed, not enabled or failed to load.
 * - `mismatch`: the server extension answers, but with another package
 *   version or REST schema version.
 * - `error`: the server could not be asked (network error, 5xx, bad body).
 */
export type HandshakeProblem = 'missing' | 'mismatch' | 'error';

/**
 * The outcome of the version handshake.
 */
export type HandshakeResult =
  | { ok: true; server: IServerVersion; message: string }
  | {
      ok: false;
      problem: HandshakeProblem;
      server: IServerVersion | null;
      message: string;
    };

/**
 * The line logged when the handshake succeeds.
 */
export function successMessage(server: IServerVersion): string {
  return `${PYTHON_PACKAGE}: server extension ${server.version} (schema ${server.schema_version})`;
}

/**
 * What to do when the server extension is missing or mismatched.
 */
function fixHint(frontendVersion: string): string {
  return (
    `Install the matching server extension with ` +
    `\`pip install ${PYTHON_PACKAGE}==${frontendVersion}\` in the environment ` +
    'that runs JupyterLab, then restart JupyterLab (in SageMaker Studio: stop ' +
    "and start the space's JupyterLab app)."
  );
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
  const body = (server ?? {}) as Partial<Record<string, unknown>>;
  if (
    typeof body !== 'object' ||
    typeof body.version !== 'string' ||
    typeof body.schema_version !== 'number'
  ) {
    return {
      ok: false,
      problem: 'error',
      server: null,
      message:
        `${PYTHON_PACKAGE}: the server extension answered the version check ` +
        `with an unexpected body (${JSON.stringify(server)}). ` +
        fixHint(frontendVersion)
    };
  }
  const answer: IServerVersion = {
    version: body.version,
    schema_version: body.schema_version
  };

  if (answer.schema_version !== SCHEMA_VERSION) {
    return {
      ok: false,
      problem: 'mismatch',
      server: answer,
      message:
        `${PYTHON_PACKAGE}: version mismatch: the server extension speaks REST ` +
        `schema ${answer.schema_version}, this frontend expects schema ` +
        `${SCHEMA_VERSION} (server ${answer.version}, frontend ` +
        `${frontendVersion}). ` +
        fixHint(frontendVersion)
    };
  }
  if (answer.version !== frontendVersion) {
    return {
      ok: false,
      problem: 'mismatch',
      server: answer,
      message:
        `${PYTHON_PACKAGE}: version mismatch: the server extension is ` +
        `${answer.version} but the JupyterLab frontend is ${frontendVersion}. ` +
        fixHint(frontendVersion)
    };
  }
  return { ok: true, server: answer, message: successMessage(answer) };
}

/**
 * Ask the server extension for its version and compare it with this
 * frontend. Never throws: every failure is a `HandshakeResult`.
 *
 * @param serverSettings The server settings to use.
 * @param frontendVersion The frontend package version.
 */
export async function checkServerVersion(
  serverSettings?: ServerConnection.ISettings,
  frontendVersion: string = FRONTEND_VERSION
): Promise<HandshakeResult> {
  let body: unknown;
  try {
    body = await requestAPI<unknown>('version', {}, serverSettings);
  } catch (reason) {
    if (
      reason instanceof ServerConnection.ResponseError &&
      reason.response.status === 404
    ) {
      return {
        ok: false,
        problem: 'missing',
        server: null,
        message:
          `${PYTHON_PACKAGE}: the server extension is missing: ` +
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
        `${PYTHON_PACKAGE}: could not check the server extension version: ` +
        `${detail}. If the server extension is missing or mismatched: ` +
        fixHint(frontendVersion)
    };
  }
  return compareVersions(body, frontendVersion);
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
  const install = `pip install ${PYTHON_PACKAGE}==${frontendVersion}`;
  switch (result.problem) {
    case 'missing':
      return trans.__(
        'Trusted identity: the server extension is missing. Run `%1` and restart JupyterLab.',
        install
      );
    case 'mismatch':
      return trans.__(
        'Trusted identity: version mismatch (server extension %1, frontend %2). Run `%3` and restart JupyterLab.',
        result.server?.schema_version === SCHEMA_VERSION
          ? result.server.version
          : `${result.server?.version}, schema ${result.server?.schema_version}`,
        frontendVersion,
        install
      );
    default:
      return trans.__(
        'Trusted identity: could not check the server extension version.'
      );
  }
}
