import { URLExt } from '@jupyterlab/coreutils';

import { ServerConnection } from '@jupyterlab/services';

/**
 * The URL namespace of the server extension's REST API.
 */
export const API_NAMESPACE = 'trusted-identity';

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
 * @throws {APIError} (apiError.ts; a `ServerConnection.ResponseError`) for any other
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
    // What reads an error reply loads with the first one.
    const { APIError, extractError } = await import(
      /* webpackChunkName: "lazy" */ './apiError'
    );
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
 * @throws {APIError} (apiError.ts; a `ServerConnection.ResponseError`) for a non-OK
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
