/**
 * An error reply of the server extension (or of Jupyter Server on its
 * behalf) as an error carrying the message a user can act on. request.ts
 * loads it (the lazy chunk) with the first error reply: a healthy start-up
 * reads none.
 */
import { ServerConnection } from '@jupyterlab/services';

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
