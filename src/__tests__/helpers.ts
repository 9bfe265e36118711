import { ServerConnection } from '@jupyterlab/services';

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
}

/**
 * Server settings whose `fetch` answers every request with `respond`, and
 * the list of the requests it saw.
 */
export function fakeServer(
  respond: (url: string) => Response | Promise<Response>,
  baseUrl = 'http://127.0.0.1:8888/jupyterlab/default/'
): { settings: ServerConnection.ISettings; requests: IRecordedRequest[] } {
  const requests: IRecordedRequest[] = [];
  const fakeFetch = async (
    input: RequestInfo | URL,
    init?: RequestInit
  ): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    requests.push({
      url: request.url.replace(/[?&]\d{10,}$/, ''),
      method: request.method
    });
    return respond(request.url);
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
 * A JSON response.
 */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' }
  });
}
