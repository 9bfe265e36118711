/**
 * Why a request of the model failed, classified for the reason-coded state
 * and the empty states.
 */
import { ServerConnection } from '@jupyterlab/services';

import { RequestTimeoutError } from '../api';

/**
 * Why the latest request failed.
 */
export type ErrorReason =
  | 'network'
  | 'timeout'
  | 'forbidden'
  | 'not-found'
  | 'server-error'
  | 'bad-reply';

/**
 * The latest failure of a request of the model.
 */
export interface IModelError {
  reason: ErrorReason;
  /**
   * The server's message (or the network error's), for the details.
   */
  message: string;
  /**
   * The HTTP status, when there was an answer.
   */
  status: number | null;
  /**
   * When it failed (milliseconds since the epoch).
   */
  at: number;
}

/**
 * Classify a failed request.
 */
export function classifyError(error: unknown, now = Date.now()): IModelError {
  if (error instanceof RequestTimeoutError) {
    return { reason: 'timeout', message: error.message, status: null, at: now };
  }
  if (error instanceof ServerConnection.NetworkError) {
    return { reason: 'network', message: error.message, status: null, at: now };
  }
  if (error instanceof ServerConnection.ResponseError) {
    const status = error.response.status;
    const reason: ErrorReason =
      status === 401 || status === 403
        ? 'forbidden'
        : status === 404
          ? 'not-found'
          : status === 502 || status === 503 || status === 504
            ? 'network'
            : 'server-error';
    return { reason, message: error.message, status, at: now };
  }
  return {
    reason: 'bad-reply',
    message: error instanceof Error ? error.message : String(error),
    status: null,
    at: now
  };
}

/**
 * Whether a failure means the server cannot be reached.
 */
export function isUnreachable(reason: ErrorReason): boolean {
  return reason === 'network' || reason === 'timeout';
}
