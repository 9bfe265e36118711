import { ServerConnection } from '@jupyterlab/services';

import { IAPIResponse, sendAPI } from './request';

import {
  AccessPermission,
  IAccessTestResult,
  IKernelsReply,
  IReport
} from './types';

/**
 * A request that the server did not answer in time.
 *
 * It is a `ServerConnection.NetworkError`: for the user, a server that does
 * not answer and a server that cannot be reached are handled alike.
 */
export class RequestTimeoutError extends ServerConnection.NetworkError {
  constructor(endPoint: string, timeoutMs: number) {
    super(
      new TypeError(
        `trusted-identity/${endPoint} did not answer within ${Math.round(
          timeoutMs / 1000
        )} s`
      )
    );
    this.endPoint = endPoint;
    this.timeoutMs = timeoutMs;
  }

  /**
   * The end point that timed out.
   */
  readonly endPoint: string;

  /**
   * The time the request was given, in milliseconds.
   */
  readonly timeoutMs: number;
}

/**
 * Options of the API client.
 */
export interface IAPIOptions {
  /**
   * The server settings; defaults to `ServerConnection.makeSettings()`.
   */
  serverSettings?: ServerConnection.ISettings;
  /**
   * How long a GET may take, in milliseconds (default 30 s).
   */
  readTimeoutMs?: number;
  /**
   * How long an explicit check or an access test (POST) may take, in
   * milliseconds (default 60 s: the server bounds a report by its check
   * deadline, 10 s by default).
   */
  checkTimeoutMs?: number;
}

/**
 * Options of an explicit check.
 */
export interface ICheckOptions {
  /**
   * Ask CloudTrail again even for a session it already verified
   * (`?cloudtrail=1`); otherwise a verified proof is kept for the app
   * session.
   */
  cloudtrail?: boolean;
}

/**
 * The typed client of every route of the server extension. All requests go
 * through `requestAPI`, hence `ServerConnection.makeRequest` (base URL, token
 * and XSRF header handled by JupyterLab).
 */
export class TrustedIdentityAPI {
  constructor(options: IAPIOptions = {}) {
    this.serverSettings =
      options.serverSettings ?? ServerConnection.makeSettings();
    this._readTimeout = options.readTimeoutMs ?? 30_000;
    this._checkTimeout = options.checkTimeoutMs ?? 60_000;
  }

  /**
   * The server settings used for every request.
   */
  readonly serverSettings: ServerConnection.ISettings;

  /**
   * `GET trusted-identity/identity`: the server report (cached facts).
   */
  identity(): Promise<IReport> {
    return this._request<IReport>('identity');
  }

  /**
   * `POST trusted-identity/identity/check`: re-runs every check of the
   * server report, bypassing caches (audited). The server rate-limits
   * explicit checks per space: see the report's `budget`.
   */
  checkIdentity(options: ICheckOptions = {}): Promise<IReport> {
    return this._request<IReport>(
      `identity/check${query({ cloudtrail: options.cloudtrail ? 1 : undefined })}`,
      'POST'
    );
  }

  /**
   * `GET trusted-identity/kernels`: the reports of every running kernel.
   *
   * A conditional request: it sends the `ETag` of the list it last received
   * as `If-None-Match`, and on `304 Not Modified` hands back that same list
   * (the same object, so a caller can tell that nothing changed). The poll
   * asks for the list every interval while it rarely changes.
   */
  async kernels(): Promise<IKernelsReply> {
    const last = this._kernelsReply;
    const { data, response } = await this._send<IKernelsReply>(
      'kernels',
      'GET',
      last ? { 'If-None-Match': last.etag } : undefined
    );
    if (response.status === 304 && last) {
      return last.body;
    }
    const etag = response.headers.get('ETag');
    this._kernelsReply = etag ? { etag, body: data } : null;
    return data;
  }

  /**
   * `GET trusted-identity/kernels/{id}`: one kernel's report; joins the
   * server's check of the kernel's latest start while it runs.
   */
  kernel(kernelId: string): Promise<IReport> {
    return this._request<IReport>(`kernels/${encodeURIComponent(kernelId)}`);
  }

  /**
   * `POST trusted-identity/kernels/{id}/check`: re-runs every check of one
   * kernel, bypassing caches (audited).
   */
  checkKernel(kernelId: string): Promise<IReport> {
    return this._request<IReport>(
      `kernels/${encodeURIComponent(kernelId)}/check`,
      'POST'
    );
  }

  /**
   * `POST trusted-identity/access-test`: asks S3 Access Grants whether the
   * user may reach `target` (an `s3://` URI) with `permission`. Run only on
   * the user's request; the server judges the input (400 with its message)
   * and rate-limits the tests (429).
   */
  async testAccess(
    target: string,
    permission: AccessPermission
  ): Promise<IAccessTestResult> {
    const body = JSON.stringify({ target, permission });
    const headers = { 'Content-Type': 'application/json' };
    return (
      await this._send<IAccessTestResult>('access-test', 'POST', headers, body)
    ).data;
  }

  /**
   * `GET trusted-identity/audit?format=csv`: the audit trail as CSV text.
   */
  async auditCsv(limit = 10_000): Promise<string> {
    const body = await this._request<unknown>(
      `audit${query({ format: 'csv', limit })}`
    );
    return typeof body === 'string' ? body : JSON.stringify(body);
  }

  private async _request<T>(
    endPoint: string,
    method: 'GET' | 'POST' = 'GET'
  ): Promise<T> {
    return (await this._send<T>(endPoint, method)).data;
  }

  private async _send<T>(
    endPoint: string,
    method: 'GET' | 'POST',
    headers?: Record<string, string>,
    body = '{}'
  ): Promise<IAPIResponse<T>> {
    const timeoutMs =
      method === 'POST' ? this._checkTimeout : this._readTimeout;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const init: RequestInit = { method, signal: controller.signal };
    if (headers) {
      init.headers = headers;
    }
    if (method === 'POST') {
      init.body = body;
    }
    try {
      return await sendAPI<T>(endPoint, init, this.serverSettings);
    } catch (error) {
      if (controller.signal.aborted) {
        throw new RequestTimeoutError(endPoint.split('?')[0], timeoutMs);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private _readTimeout: number;
  private _checkTimeout: number;
  /**
   * The latest kernel list received with an `ETag`, or `null`.
   */
  private _kernelsReply: { etag: string; body: IKernelsReply } | null = null;
}

/**
 * A query string of the defined values, or ''.
 */
function query(values: Record<string, string | number | undefined>): string {
  const parts = Object.entries(values)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(
      ([key, value]) =>
        `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`
    );
  return parts.length ? `?${parts.join('&')}` : '';
}
