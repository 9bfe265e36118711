import { ServerConnection } from '@jupyterlab/services';

import { TrustedIdentityAPI } from '../api';

import { APIError, extractError, requestAPI } from '../request';

import { etagRoute, fakeServer, json, routedServer } from './helpers';

import { awsProfileKernel, happyKernel } from './reports';

const KERNEL = '159d2982-e0a2-4e4a-9c04-2c483836c516';

describe('extractError', () => {
  const status = { status: 404, statusText: 'Not Found' };

  it('takes the code and message of the server extension error body', () => {
    expect(
      extractError(
        {
          error: {
            code: 'not_found',
            message: 'No kernel 1234 is running; refresh the kernel list.'
          }
        },
        status
      )
    ).toEqual({
      code: 'not_found',
      message: 'No kernel 1234 is running; refresh the kernel list.'
    });
  });

  it("takes the message of Jupyter Server's own error body", () => {
    expect(
      extractError({ message: 'Forbidden', reason: null }, {
        status: 403
      } as any)
    ).toEqual({ code: null, message: 'Forbidden' });
  });

  it('takes a plain-text body but not an HTML page', () => {
    expect(
      extractError('  kaboom \n', { status: 500, statusText: '' })
    ).toEqual({ code: null, message: 'kaboom' });
    expect(
      extractError('<html><body>404 : Not Found</body></html>', status)
    ).toEqual({
      code: null,
      message: 'Request failed with status 404 (Not Found)'
    });
  });

  it('falls back to the status line when the error body has no message', () => {
    expect(extractError({ error: { code: 'too_large' } }, status)).toEqual({
      code: 'too_large',
      message: 'Request failed with status 404 (Not Found)'
    });
    expect(extractError('', { status: 502, statusText: '' })).toEqual({
      code: null,
      message: 'Request failed with status 502'
    });
  });
});

describe('requestAPI', () => {
  it('calls {base_url}trusted-identity/<endpoint> and parses JSON', async () => {
    const { settings, requests } = fakeServer(() =>
      json({ version: '0.1.0', schema_version: 1 })
    );
    const data = await requestAPI<{ version: string }>('version', {}, settings);
    expect(data).toEqual({ version: '0.1.0', schema_version: 1 });
    expect(requests).toHaveLength(1);
    expect(requests[0].method).toBe('GET');
    expect(requests[0].url).toBe(
      'http://127.0.0.1:8888/jupyterlab/default/trusted-identity/version'
    );
  });

  it('passes the method of init', async () => {
    const { settings, requests } = fakeServer(() =>
      json({ verdict: 'unknown' })
    );
    await requestAPI('identity/check', { method: 'POST' }, settings);
    expect(requests[0].method).toBe('POST');
    expect(requests[0].url).toMatch(/\/trusted-identity\/identity\/check$/);
  });

  it('turns an error body into a ResponseError with its message', async () => {
    const { settings } = fakeServer(() =>
      json(
        {
          error: {
            code: 'bad_request',
            message: 'The kernel id "abc" is not a UUID.'
          }
        },
        400
      )
    );
    const error: unknown = await requestAPI('kernels/abc', {}, settings).catch(
      e => e
    );
    expect(error).toBeInstanceOf(ServerConnection.ResponseError);
    expect(error).toBeInstanceOf(APIError);
    const apiError = error as APIError;
    expect(apiError.message).toBe('The kernel id "abc" is not a UUID.');
    expect(apiError.code).toBe('bad_request');
    expect(apiError.response.status).toBe(400);
  });

  it('keeps a non-JSON success body as text', async () => {
    const { settings } = fakeServer(
      () =>
        new Response('at,event\n', {
          status: 200,
          headers: { 'Content-Type': 'text/csv' }
        })
    );
    await expect(
      requestAPI<string>('audit?format=csv', {}, settings)
    ).resolves.toBe('at,event\n');
  });

  it('turns a failing fetch into a NetworkError', async () => {
    const { settings } = fakeServer(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(requestAPI('version', {}, settings)).rejects.toBeInstanceOf(
      ServerConnection.NetworkError
    );
  });
});

describe('the kernel list, a conditional request', () => {
  it("sends the last list's ETag and reuses that list on 304", async () => {
    let list: unknown = { kernels: [awsProfileKernel(KERNEL)] };
    const seen: (string | null)[] = [];
    const statuses: number[] = [];
    const route = etagRoute(() => list);
    const server = routedServer({
      'GET kernels': async request => {
        seen.push(request.headers.get('If-None-Match'));
        const response = await route(request);
        statuses.push(response.status);
        return response;
      }
    });
    const api = new TrustedIdentityAPI({ serverSettings: server.settings });

    // The first request has no ETag to send.
    const first = await api.kernels();
    expect(first.kernels[0].verdict).toBe('not_propagated');
    expect(seen[0]).toBeNull();

    // Unchanged: a 304 with no body hands back the very same list.
    const second = await api.kernels();
    expect(seen[1]).toMatch(/^".+"$/);
    expect(statuses).toEqual([200, 304]);
    expect(second).toBe(first);

    // Changed: a new body and a new ETag, sent next time.
    list = { kernels: [happyKernel(KERNEL)] };
    const third = await api.kernels();
    expect(statuses[2]).toBe(200);
    expect(third).not.toBe(first);
    expect(third.kernels[0].verdict).toBe('propagated');
    expect(seen[2]).toBe(seen[1]);
    await api.kernels();
    expect(seen[3]).not.toBe(seen[1]);
    expect(statuses[3]).toBe(304);
  });

  it('sends no If-None-Match when the server gave no ETag', async () => {
    const seen: (string | null)[] = [];
    const server = routedServer({
      'GET kernels': ({ headers }) => {
        seen.push(headers.get('If-None-Match'));
        return json({ kernels: [] });
      }
    });
    const api = new TrustedIdentityAPI({ serverSettings: server.settings });
    await api.kernels();
    await api.kernels();
    expect(seen).toEqual([null, null]);
  });
});
