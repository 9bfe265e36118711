import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from './request';

/**
 * The REST schema version this frontend speaks (see the REST contract).
 */
export const SCHEMA_VERSION = 1;

/**
 * The name of this extension (the npm package and the labextension), which
 * prefixes its console messages.
 */
export const EXTENSION_NAME = 'jupyterlab-trusted-identity';

/**
 * The Python distribution that carries the server extension and, embedded,
 * this frontend: one wheel installs both (nothing is published to a package
 * index, so hints name the wheel file, not a package to download).
 */
export const PYTHON_DISTRIBUTION = 'jupyterlab_trusted_identity';

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
  return `${EXTENSION_NAME}: server extension ${server.version} (schema ${server.schema_version})`;
}

/**
 * Read the answer of the version route, or `null` when it is not one.
 */
export function serverVersion(body: unknown): IServerVersion | null {
  const answer = (body ?? {}) as Partial<Record<string, unknown>>;
  if (
    typeof answer !== 'object' ||
    typeof answer.version !== 'string' ||
    typeof answer.schema_version !== 'number'
  ) {
    return null;
  }
  return { version: answer.version, schema_version: answer.schema_version };
}

/**
 * Ask the server extension for its version and compare it with this
 * frontend. Never throws: every failure is a `HandshakeResult`. The words of
 * a failure (what to install and how: handshake.ts) load only then.
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
    const { unanswered } = await import(
      /* webpackChunkName: "lazy" */ './handshake'
    );
    return unanswered(reason, frontendVersion);
  }
  const answer = serverVersion(body);
  if (
    answer &&
    answer.schema_version === SCHEMA_VERSION &&
    answer.version === frontendVersion
  ) {
    return { ok: true, server: answer, message: successMessage(answer) };
  }
  // Another spelling of the same version (npm's and PEP 440's), or a
  // mismatch: compared, and worded, by handshake.ts.
  const { compareVersions } = await import(
    /* webpackChunkName: "lazy" */ './handshake'
  );
  return compareVersions(body, frontendVersion);
}

// src/components/EmptyState.tsx takes installSteps from here. The bundler
// resolves the re-export to install.ts (package.json declares no side
// effects), so install.ts still loads only with the panel or a failed
// handshake; importing it from './install' directly says so plainly.
export { installSteps } from './install';
