import { ServerConnection } from '@jupyterlab/services';

import { FRONTEND_VERSION } from '../version';

import { happy } from './reports';

/**
 * A recorded request of the fake server.
 */
export interface IRecordedRequest {
  /**
   * The URL without the cache-busting `?<timestamp>` that
   * `ServerConnection.makeRequest` appends to GET requests.
   */
  url: string;
  method: string;
  /**
   * The request's headers and body (text; '' without one).
   */
  headers: Headers;
  body: string;
}

/**
 * Server settings whose `fetch` answers every request with `respond`, and
 * the list of the requests it saw.
 */
export function fakeServer(
  respond: (url: string) => Response | Promise<Response>,
  baseUrl = 'http://127.0.0.1:8888/jupyterlab/default/'
): { settings: ServerConnection.ISettings; requests: IRecordedRequest[] } {
  return fakeServerWithMethod(request => respond(request.url), baseUrl);
}

/**
 * A JSON response.
 */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' }
  });
}

/**
 * A handler of the routed fake server: the path below
 * `trusted-identity/` (without the query), the method, the query and the
 * request headers.
 */
export type RouteHandler = (request: {
  path: string;
  method: string;
  query: URLSearchParams;
  headers: Headers;
  body: string;
}) => Response | Promise<Response>;

/**
 * A route answering `body` with an `ETag` (the body's JSON) and a bodiless
 * `304 Not Modified` to a request whose `If-None-Match` names it, as the
 * server answers `GET trusted-identity/kernels`. `body` is read on every
 * request, so a test changes what it returns.
 */
export function etagRoute(body: () => unknown): RouteHandler {
  return ({ headers }) => {
    const text = JSON.stringify(body());
    const etag = `"${text.length}-${hash(text)}"`;
    if (headers.get('If-None-Match') === etag) {
      return new Response(null, { status: 304, headers: { ETag: etag } });
    }
    return new Response(text, {
      status: 200,
      headers: { 'Content-Type': 'application/json', ETag: etag }
    });
  };
}

function hash(text: string): string {
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    value = (value * 31 + text.charCodeAt(i)) | 0;
  }
  return (value >>> 0).toString(16);
}

/**
 * A fake server that routes `METHOD path` (below `trusted-identity/`, e.g.
 * `GET identity` or `POST kernels/<id>/check`) to handlers; unknown routes
 * answer a JSON 404. Handlers can be replaced at any time.
 */
export function routedServer(routes: Record<string, RouteHandler> = {}): {
  settings: ServerConnection.ISettings;
  requests: IRecordedRequest[];
  routes: Record<string, RouteHandler>;
} {
  const table = { ...routes };
  const { settings, requests } = fakeServerWithMethod(async request => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/^.*\/trusted-identity\//, '');
    const query = url.searchParams;
    const handler =
      table[`${request.method} ${path}`] ??
      table[`${request.method} ${path.replace(/[0-9a-f-]{36}/, '*')}`];
    if (!handler) {
      return json(
        { error: { code: 'not_found', message: `No route ${path}.` } },
        404
      );
    }
    return handler({
      path,
      method: request.method,
      query,
      headers: request.headers,
      body: await request.text()
    });
  });
  return { settings, requests, routes: table };
}

function fakeServerWithMethod(
  respond: (request: Request) => Response | Promise<Response>,
  baseUrl = 'http://127.0.0.1:8888/jupyterlab/default/'
): { settings: ServerConnection.ISettings; requests: IRecordedRequest[] } {
  const requests: IRecordedRequest[] = [];
  const fakeFetch = async (
    input: RequestInfo | URL,
    init?: RequestInit
  ): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    // Recorded in the order the requests were made; the body is read after.
    const recorded: IRecordedRequest = {
      url: request.url.replace(/[?&]\d{10,}$/, ''),
      method: request.method,
      headers: request.headers,
      body: ''
    };
    requests.push(recorded);
    recorded.body = await request.clone().text();
    // As fetch does, give up when the request is aborted (a timeout).
    const aborted = new Promise<never>((_, reject) => {
      const abort = () =>
        reject(new DOMException('The operation was aborted.', 'AbortError'));
      if (request.signal.aborted) {
        abort();
      }
      request.signal.addEventListener('abort', abort);
    });
    return Promise.race([respond(request), aborted]);
  };
  const settings = ServerConnection.makeSettings({
    baseUrl,
    wsUrl: baseUrl.replace(/^http/, 'ws'),
    token: '',
    fetch: fakeFetch as typeof fetch
  });
  return { settings, requests };
}

/**
 * A promise and its resolver, to hold a fake answer back.
 */
export function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Let pending promise callbacks run.
 */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

/**
 * Wait until `predicate` holds (polling every few milliseconds).
 */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs = 3000
): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) {
      throw new Error('waitFor: timed out');
    }
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

/**
 * Today at `hours`:`minutes` local time, as the server writes times (UTC ISO
 * 8601, whole seconds).
 */
export function todayAt(hours: number, minutes: number): string {
  const at = new Date();
  at.setHours(hours, minutes, 0, 0);
  return at.toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * The version route of a server extension of the frontend's version.
 */
export function versionRoute(): RouteHandler {
  return () => json({ version: FRONTEND_VERSION, schema_version: 1 });
}

/**
 * A routed server answering as a `happy` space with no kernel, with `routes`
 * added or replacing those.
 */
export function happyServer(
  routes: Record<string, RouteHandler> = {}
): ReturnType<typeof routedServer> {
  return routedServer({
    'GET version': versionRoute(),
    'GET identity': () => json(happy()),
    'POST identity/check': () => json(happy()),
    'GET kernels': () => json({ kernels: [] }),
    ...routes
  });
}

/**
 * Silence these console methods during each test of the calling file; the
 * returned spies are the current test's.
 */
export function quietConsole<M extends 'log' | 'warn'>(
  ...methods: M[]
): Record<M, jest.SpyInstance> {
  const spies = {} as Record<M, jest.SpyInstance>;
  beforeEach(() => {
    for (const method of methods) {
      // `log` and `warn` have the same signature.
      spies[method] = jest
        .spyOn(console, method as 'log')
        .mockImplementation(() => undefined);
    }
  });
  afterEach(() => {
    for (const method of methods) {
      spies[method].mockRestore();
    }
  });
  return spies;
}
