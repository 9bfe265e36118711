import { URLExt } from '@jupyterlab/coreutils';

import { ServerConnection } from '@jupyterlab/services';

/**
 * The URL namespace of the server extension's REST API.
 */
export const API_NAMESPACE = 'trusted-identity';

/**
 * An error answered by the server extension (or by Jupyter Server on its
 * behalf), carrying the message a user can act on.
 *
 * It is a `ServerConnection.ResponseError`, so `error.response.status`
 * tells the HTTP status.
 */
export class APIError extends ServerConnection.ResponseError {
  /**
   * Create a new API error.
   *
   * @param response The non-OK response.
   * @param message The message extracted from the response body.
   * @param code The error slug of the server extension (`not_found`,
   *   `bad_request`, ...), or `null` when the body carried none.
   */
  constructor(response: Response, message: string, code: string | null) {
    super(response, message);
    this.code = code;
  }

  /**
   * The error slug of the server extension, or `null`.
   */
  readonly code: string | null;
}

/**
 * Extract the error slug and message of a non-OK response body.
 *
 * The server extension answers `{"error": {"code", "message"}}`; Jupyter
 * Server's own errors (an unknown route, a failed authentication) answer
 * `{"message", "reason"}` or an HTML page.
 *
 * @param body The response body: parsed JSON, or the raw text.
 * @param response The response, for its status line.
 * @returns The error slug (or `null`) and a message that is never empty.
 */
export function extractError(
  body: unknown,
  response: Pick<Response, 'status' | 'statusText'>
): { code: string | null; message: string } {
  const fallback =
    `Request failed with status ${response.status}` +
    (response.statusText ? ` (${response.statusText})` : '');

  if (body && typeof body === 'object') {
    const data = body as Record<string, unknown>;
    const error = data.error;
    if (error && typeof error === 'object') {
      const { code, message } = error as Record<string, unknown>;
      return {
        code: typeof code === 'string' && code ? code : null,
        message: typeof message === 'string' && message ? message : fallback
      };
    }
    if (typeof error === 'string' && error) {
      return { code: null, message: error };
    }
    if (typeof data.message === 'string' && data.message) {
      return { code: null, message: data.message };
    }
    if (typeof data.reason === 'string' && data.reason) {
      return { code: null, message: data.reason };
    }
    return { code: null, message: fallback };
  }

  if (typeof body === 'string' && body.trim() && !/^\s*</.test(body)) {
    // A plain-text body; an HTML error page says nothing useful here.
    return { code: null, message: body.trim() };
  }
  return { code: null, message: fallback };
}

/**
 * A response of the server extension with its parsed body.
 */
export interface IAPIResponse<T> {
  /**
   * The body parsed as JSON (or the raw text when it is not JSON); empty for
   * a `304 Not Modified`.
   */
  data: T;
  /**
   * The response, for its status and headers (`ETag`).
   */
  response: Response;
}

/**
 * Call the server extension and keep the response.
 *
 * A `304 Not Modified` (the answer to a conditional request the caller made
 * with `If-None-Match`) is not an error: the caller reuses what it has.
 *
 * @param endPoint The REST end point below `{base_url}trusted-identity/`.
 * @param init Initial values for the request.
 * @param serverSettings The server settings to use; defaults to
 *   `ServerConnection.makeSettings()`.
 * @throws {APIError} (a `ServerConnection.ResponseError`) for any other
 *   non-OK response, with the server's message.
 * @throws {ServerConnection.NetworkError} when the server cannot be reached.
 */
export async function sendAPI<T>(
  endPoint = '',
  init: RequestInit = {},
  serverSettings?: ServerConnection.ISettings
): Promise<IAPIResponse<T>> {
  const settings = serverSettings ?? ServerConnection.makeSettings();
  const requestUrl = URLExt.join(settings.baseUrl, API_NAMESPACE, endPoint);

  let response: Response;
  try {
    response = await ServerConnection.makeRequest(requestUrl, init, settings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }

  const text = await response.text();
  let data: unknown = text;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON: keep the raw text.
    }
  }

  if (!response.ok && response.status !== 304) {
    const { code, message } = extractError(data, response);
    throw new APIError(response, message, code);
  }

  return { data: data as T, response };
}

/**
 * Call the server extension.
 *
 * @param endPoint The REST end point below `{base_url}trusted-identity/`.
 * @param init Initial values for the request.
 * @param serverSettings The server settings to use; defaults to
 *   `ServerConnection.makeSettings()`.
 * @returns The response body parsed as JSON (or the raw text when it is not
 *   JSON).
 * @throws {APIError} (a `ServerConnection.ResponseError`) for a non-OK
 *   response, with the server's message.
 * @throws {ServerConnection.NetworkError} when the server cannot be reached.
 */
export async function requestAPI<T>(
  endPoint = '',
  init: RequestInit = {},
  serverSettings?: ServerConnection.ISettings
): Promise<T> {
  return (await sendAPI<T>(endPoint, init, serverSettings)).data;
}
