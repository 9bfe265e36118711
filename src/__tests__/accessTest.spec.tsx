/**
 * The access test (issue 10): the API client's `POST access-test` against
 * the fake server, what the panel makes of its answers and failures
 * (src/panel/accessTest.ts), the form and S3 Access Grants' details
 * (src/components). panel.spec.ts tests the form in the panel's services
 * section.
 */
import { nullTranslator } from '@jupyterlab/translation';

import * as React from 'react';

import { RequestTimeoutError, TrustedIdentityAPI } from '../api';

import {
  AccessGrants,
  AccessTestForm,
  AccessTestOutcome,
  AccessTestResult
} from '../components';

import { runAccessTest } from '../panel/accessTest';

import { accessGrantsView } from '../panel/views';

import { APIError } from '../request';

import { formatTime } from '../time';

import type { AccessPermission } from '../types';

import { deferred, flush, json, quietConsole, routedServer } from './helpers';

import { click, render } from './render';

import { accessGrants, accessTestAnswer, SECRET_PATTERNS } from './reports';

const trans = nullTranslator.load('jupyterlab_trusted_identity');

const allowed = () => accessTestAnswer('allowed');
const denied = () => accessTestAnswer('denied');
const unknown = () => accessTestAnswer('unknown');

const BAD_INPUT = {
  error: {
    code: 'bad_request',
    message: 'target must be an s3:// URI of at most 1024 characters.'
  }
};

const RATE_LIMITED = {
  error: { code: 'rate_limited', message: 'Too many access tests.' }
};

quietConsole('log', 'warn');
afterEach(() => {
  document.body.innerHTML = '';
});

describe('TrustedIdentityAPI.testAccess', () => {
  it('posts the target and permission as JSON to trusted-identity/access-test', async () => {
    const server = routedServer({
      'POST access-test': () => json(allowed())
    });
    const api = new TrustedIdentityAPI({ serverSettings: server.settings });
    const result = await api.testAccess(
      's3://amzn-s3-demo-bucket/users/jdoe/data.csv',
      'READ'
    );
    expect(result).toEqual(allowed());
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(
      'http://127.0.0.1:8888/jupyterlab/default/trusted-identity/access-test'
    );
    expect(request.headers.get('Content-Type')).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      target: 's3://amzn-s3-demo-bucket/users/jdoe/data.csv',
      permission: 'READ'
    });
  });

  it('sends exactly what it is given (the server judges it)', async () => {
    const server = routedServer({
      'POST access-test': ({ body }) =>
        json({ ...allowed(), ...JSON.parse(body) })
    });
    const api = new TrustedIdentityAPI({ serverSettings: server.settings });
    const result = await api.testAccess('s3://b/a "quoted" key', 'READWRITE');
    expect(JSON.parse(server.requests[0].body)).toEqual({
      target: 's3://b/a "quoted" key',
      permission: 'READWRITE'
    });
    expect(result.permission).toBe('READWRITE');
  });

  it('rejects a 400 and a 429 with the server’s message and status', async () => {
    const server = routedServer({
      'POST access-test': () => json(BAD_INPUT, 400)
    });
    const api = new TrustedIdentityAPI({ serverSettings: server.settings });
    const bad = await api.testAccess('s3://', 'READ').catch(error => error);
    expect(bad).toBeInstanceOf(APIError);
    expect(bad.response.status).toBe(400);
    expect(bad.code).toBe('bad_request');
    expect(bad.message).toBe(BAD_INPUT.error.message);

    server.routes['POST access-test'] = () =>
      new Response(JSON.stringify(RATE_LIMITED), {
        status: 429,
        headers: { 'Content-Type': 'application/json', 'Retry-After': '30' }
      });
    const limited = await api.testAccess('s3://b/k', 'READ').catch(e => e);
    expect(limited).toBeInstanceOf(APIError);
    expect(limited.response.status).toBe(429);
    expect(limited.response.headers.get('Retry-After')).toBe('30');
  });

  it('gives up after the POST timeout', async () => {
    const hang = deferred<Response>();
    const server = routedServer({ 'POST access-test': () => hang.promise });
    const api = new TrustedIdentityAPI({
      serverSettings: server.settings,
      readTimeoutMs: 5_000,
      checkTimeoutMs: 20
    });
    const error = await api.testAccess('s3://b/k', 'READ').catch(e => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error.endPoint).toBe('access-test');
    expect(error.timeoutMs).toBe(20);
    hang.resolve(json(allowed()));
  });
});

describe('runAccessTest', () => {
  const api = (respond: () => Response) =>
    new TrustedIdentityAPI({
      serverSettings: routedServer({ 'POST access-test': respond }).settings
    });
  const run = (respond: () => Response) => {
    const client = api(respond);
    return runAccessTest(
      (target, permission) => client.testAccess(target, permission),
      's3://amzn-s3-demo-bucket/users/jdoe/data.csv',
      'READ',
      trans
    );
  };

  it('hands back the server’s answer', async () => {
    expect(await run(() => json(denied()))).toEqual({
      kind: 'result',
      result: denied()
    });
  });

  it('keeps the server’s message of an input it refused (400)', async () => {
    expect(await run(() => json(BAD_INPUT, 400))).toEqual({
      kind: 'invalid',
      message: BAD_INPUT.error.message
    });
  });

  it('words a 429 as the rate-limit notice does, with Retry-After', async () => {
    const limited = (headers: Record<string, string>) => () =>
      new Response(JSON.stringify(RATE_LIMITED), { status: 429, headers });
    expect(await run(limited({ 'Retry-After': '12' }))).toEqual({
      kind: 'rate-limited',
      message:
        'Access tests came too fast, so S3 Access Grants was not asked. You can test again in 12 seconds.'
    });
    expect(await run(limited({}))).toEqual({
      kind: 'rate-limited',
      message:
        'Access tests came too fast, so S3 Access Grants was not asked. You can test again shortly.'
    });
    expect(
      await run(limited({ 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' }))
    ).toMatchObject({ kind: 'rate-limited' });
  });

  it('says why another failure has no answer', async () => {
    expect(
      await run(() =>
        json({ error: { code: 'internal', message: 'kaboom' } }, 500)
      )
    ).toEqual({ kind: 'failed', message: 'kaboom' });
    expect(
      await runAccessTest(
        () => Promise.reject(new TypeError('offline')),
        's3://b/k',
        'READ',
        trans
      )
    ).toEqual({ kind: 'failed', message: 'offline' });
  });
});

/**
 * The form with a test callback whose answers the test gives.
 */
function renderForm(answer: (target: string) => AccessTestOutcome) {
  const calls: [string, AccessPermission][] = [];
  const onTest = jest.fn(
    async (target: string, permission: AccessPermission) => {
      calls.push([target, permission]);
      return answer(target);
    }
  );
  const view = render(<AccessTestForm onTest={onTest} trans={trans} />);
  const input = view.container.querySelector('input') as HTMLInputElement;
  const select = view.container.querySelector('select') as HTMLSelectElement;
  const button = view.container.querySelector(
    'button[type="submit"]'
  ) as HTMLButtonElement;
  return { view, input, select, button, onTest, calls };
}

/**
 * Type into a controlled input or choose in a select, as React sees it.
 */
function change(element: HTMLInputElement | HTMLSelectElement, value: string) {
  const proto =
    element instanceof HTMLSelectElement
      ? HTMLSelectElement.prototype
      : HTMLInputElement.prototype;
  React.act(() => {
    Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(element, value);
    element.dispatchEvent(new Event('input', { bubbles: true }));
    element.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

async function submit(button: HTMLButtonElement): Promise<void> {
  click(button);
  await React.act(() => flush(2));
}

describe('AccessTestForm', () => {
  it('renders an S3 URI input, the three permissions and a Test button', () => {
    const { view, input, select, button, onTest } = renderForm(() => ({
      kind: 'result',
      result: allowed()
    }));
    expect(view.text()).toContain('Test access');
    expect(input.labels?.[0].textContent).toBe('S3 URI');
    expect(select.labels?.[0].textContent).toBe('Permission');
    expect(Array.from(select.options).map(o => [o.value, o.text])).toEqual([
      ['READ', 'Read'],
      ['WRITE', 'Write'],
      ['READWRITE', 'Read and write']
    ]);
    expect(button.textContent).toBe('Test');
    // Nothing runs until the user presses Test.
    expect(onTest).not.toHaveBeenCalled();
    view.unmount();
  });

  it('asks for an s3:// URI before calling anything', async () => {
    const { view, input, button, onTest } = renderForm(() => ({
      kind: 'result',
      result: allowed()
    }));
    await submit(button);
    change(input, 'amzn-s3-demo-bucket/users/jdoe/');
    await submit(button);
    expect(onTest).not.toHaveBeenCalled();
    const error = view.container.querySelector('[role="alert"]');
    expect(error?.textContent).toContain('starts with s3://');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe(error?.id);
    // Typing again clears the hint.
    change(input, 's3://amzn-s3-demo-bucket/users/jdoe/');
    expect(view.container.querySelector('[role="alert"]')).toBeNull();
    expect(input.hasAttribute('aria-invalid')).toBe(false);
    view.unmount();
  });

  it('calls back with the trimmed target and the chosen permission', async () => {
    const { view, input, select, button, calls } = renderForm(() => ({
      kind: 'result',
      result: allowed()
    }));
    change(input, '  s3://amzn-s3-demo-bucket/users/jdoe/data.csv ');
    change(select, 'READWRITE');
    await submit(button);
    expect(calls).toEqual([
      ['s3://amzn-s3-demo-bucket/users/jdoe/data.csv', 'READWRITE']
    ]);
    view.unmount();
  });

  it('shows an allowed answer: the grant, its grantee, that it is the user, the time', async () => {
    const { view, input, button } = renderForm(() => ({
      kind: 'result',
      result: allowed()
    }));
    change(input, 's3://amzn-s3-demo-bucket/users/jdoe/data.csv');
    await submit(button);
    const result = view.container.querySelector('[data-outcome="result"]');
    expect(result?.getAttribute('data-status')).toBe('allowed');
    expect(result?.className).toContain('jp-mod-success');
    const text = view.text();
    expect(
      result?.querySelector('[role="img"]')?.getAttribute('aria-label')
    ).toBe('Allowed');
    expect(text).toContain('Allowed: S3 Access Grants sees you');
    expect(text).toContain(
      'first-hand proof that your identity reaches S3 Access Grants'
    );
    // Nothing to do: no remediation.
    expect(
      view.container.querySelector('.jp-TrustedIdentity-remediation')
    ).toBeNull();
    const fact = (name: string) =>
      view.container.querySelector(`[data-fact="${name}"] dd`)?.textContent;
    expect(fact('target')).toBe(
      's3://amzn-s3-demo-bucket/users/jdoe/data.csv (Read)'
    );
    expect(fact('matched_grant_target')).toBe(
      's3://amzn-s3-demo-bucket/users/jdoe/*'
    );
    expect(fact('grantee')).toBe(
      'Identity Center user: 316fc9d72a-6622c6c0-990a-0e92-dcde-4a024540f8a9'
    );
    expect(fact('grantee_is_expected_user')).toBe(
      'Yes: first-hand proof of propagation'
    );
    expect(fact('checked_at')).toBe(formatTime(allowed().checked_at));
    expect(fact('iam_action')).toBeUndefined();
    expect(
      view.container
        .querySelector('a.jp-TrustedIdentity-link')
        ?.getAttribute('href')
    ).toBe(allowed().doc_url);
    // The answer is announced.
    expect(result?.closest('[role="status"]')?.getAttribute('aria-live')).toBe(
      'polite'
    );
    view.unmount();
  });

  it('shows a denied answer with the server’s remediation', async () => {
    const { view, input, button } = renderForm(() => ({
      kind: 'result',
      result: denied()
    }));
    change(input, 's3://amzn-s3-demo-bucket/finance/q1.csv');
    await submit(button);
    const result = view.container.querySelector('[data-outcome="result"]');
    expect(result?.getAttribute('data-status')).toBe('denied');
    expect(result?.className).toContain('jp-mod-error');
    expect(
      result?.querySelector('[role="img"]')?.getAttribute('aria-label')
    ).toBe('Denied');
    expect(view.text()).toContain('Denied: no grant gives you this access');
    expect(
      view.container.querySelector('.jp-TrustedIdentity-remediation')
        ?.textContent
    ).toContain('An administrator creates an access grant');
    expect(
      view.container.querySelector('[data-fact="matched_grant_target"] dd')
        ?.textContent
    ).toBe('None');
    expect(view.container.querySelector('[data-fact="grantee"]')).toBeNull();
    // A denial is no IAM problem: the grant is missing, not a permission.
    expect(view.container.querySelector('[data-fact="iam_action"]')).toBeNull();
    view.unmount();
  });

  it('shows an unknown answer with the IAM action to allow', async () => {
    const { view, input, button } = renderForm(() => ({
      kind: 'result',
      result: unknown()
    }));
    change(input, 's3://amzn-s3-demo-bucket/users/jdoe/');
    await submit(button);
    const result = view.container.querySelector('[data-outcome="result"]');
    expect(result?.getAttribute('data-status')).toBe('unknown');
    expect(result?.className).toContain('jp-mod-warn');
    expect(
      result?.querySelector('[role="img"]')?.getAttribute('aria-label')
    ).toBe('Cannot tell');
    expect(view.text()).toContain('Access could not be tested');
    expect(
      view.container.querySelector('.jp-TrustedIdentity-remediation')
        ?.textContent
    ).toContain('Allow s3:GetDataAccess on the execution role');
    expect(
      view.container.querySelector('[data-fact="iam_action"] dd')?.textContent
    ).toBe('s3:GetDataAccess (AWS error AccessDenied)');
    view.unmount();
  });

  it('says when the grantee is a group or someone else, not the user', async () => {
    let answer = accessTestAnswer('group');
    const { view, input, button } = renderForm(() => ({
      kind: 'result',
      result: answer
    }));
    change(input, 's3://amzn-s3-demo-bucket/shared/x');
    await submit(button);
    const fact = (name: string) =>
      view.container.querySelector(`[data-fact="${name}"] dd`);
    expect(fact('grantee')?.textContent).toBe(
      'Identity Center group: 1396c3d2ba-3b3ee8bd-187d-c58d-4292-0a8c50f8d8fa'
    );
    expect(view.text()).toContain('Allowed through a group');
    expect(fact('grantee_is_expected_user')?.textContent).toBe('No');
    expect(
      fact('grantee_is_expected_user')?.querySelector('.jp-mod-bad')
    ).toBeNull();

    answer = {
      ...allowed(),
      grantee: { type: 'IAM', identifier: 'arn:aws:iam::111122223333:role/X' },
      grantee_is_expected_user: false
    };
    await submit(button);
    expect(fact('grantee')?.textContent).toBe(
      'IAM principal: arn:aws:iam::111122223333:role/X'
    );
    expect(
      fact('grantee_is_expected_user')?.querySelector('.jp-mod-bad')
    ).not.toBeNull();
    view.unmount();
  });

  it('shows a refused input’s message next to the input and changes nothing else', async () => {
    let outcome: AccessTestOutcome = { kind: 'result', result: allowed() };
    const { view, input, button, onTest } = renderForm(() => outcome);
    change(input, 's3://amzn-s3-demo-bucket/users/jdoe/data.csv');
    await submit(button);
    expect(
      view.container.querySelector('[data-status="allowed"]')
    ).not.toBeNull();

    outcome = { kind: 'invalid', message: BAD_INPUT.error.message };
    change(input, 's3://');
    await submit(button);
    expect(onTest).toHaveBeenCalledTimes(2);
    const error = view.container.querySelector('[role="alert"]');
    expect(error?.textContent).toBe(BAD_INPUT.error.message);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    // The previous answer stays; the input keeps what the user typed.
    expect(
      view.container.querySelector('[data-status="allowed"]')
    ).not.toBeNull();
    expect(input.value).toBe('s3://');
    view.unmount();
  });

  it('shows a rate-limited test as information, and another failure', async () => {
    let outcome: AccessTestOutcome = {
      kind: 'rate-limited',
      message: 'Access tests came too fast.'
    };
    const { view, input, button } = renderForm(() => outcome);
    change(input, 's3://amzn-s3-demo-bucket/users/jdoe/');
    await submit(button);
    const note = view.container.querySelector('[data-outcome="rate-limited"]');
    expect(note?.textContent).toBe('Access tests came too fast.');
    expect(note?.querySelector('.jp-mod-error')).toBeNull();
    expect(view.container.querySelector('[role="alert"]')).toBeNull();

    outcome = { kind: 'failed', message: 'kaboom' };
    await submit(button);
    expect(
      view.container.querySelector('[data-outcome="failed"]')?.textContent
    ).toBe('kaboom');
    view.unmount();
  });

  it('runs one test at a time', async () => {
    const pending = deferred<AccessTestOutcome>();
    const onTest = jest.fn(() => pending.promise);
    const view = render(<AccessTestForm onTest={onTest} trans={trans} />);
    const input = view.container.querySelector('input') as HTMLInputElement;
    const button = view.container.querySelector('button') as HTMLButtonElement;
    change(input, 's3://amzn-s3-demo-bucket/users/jdoe/');
    await submit(button);
    expect(button.disabled).toBe(true);
    expect(button.textContent).toBe('Testing…');
    await submit(button);
    expect(onTest).toHaveBeenCalledTimes(1);
    await React.act(async () => {
      pending.resolve({ kind: 'result', result: allowed() });
      await flush(2);
    });
    expect(button.disabled).toBe(false);
    expect(button.textContent).toBe('Test');
    view.unmount();
  });
});

describe('AccessGrants', () => {
  const show = (scenario: Parameters<typeof accessGrants>[0]) => {
    const service = accessGrants(scenario).connected_services.find(
      s => s.id === 's3-access-grants'
    );
    return render(
      <AccessGrants view={accessGrantsView(service, trans)!} trans={trans} />
    );
  };

  it('lists the user’s grants with scope and permission, and the count', () => {
    const view = show('user_and_group');
    const part = view.container.querySelector('[data-part="integration"]');
    expect(part?.getAttribute('data-state')).toBe('ready');
    expect(
      part?.querySelector('[role="img"]')?.getAttribute('aria-label')
    ).toBe('Ready');
    const rows = Array.from(
      view.container.querySelectorAll('[data-part="grants"] tbody tr')
    ).map(row =>
      Array.from(row.querySelectorAll('td')).map(cell => cell.textContent)
    );
    expect(rows).toEqual([
      ['s3://amzn-s3-demo-bucket/projects/churn/*', 'READ'],
      ['s3://amzn-s3-demo-bucket/users/jdoe/*', 'READWRITE'],
      ['s3://amzn-s3-demo-bucket/shared/*', 'READ']
    ]);
    expect(view.container.querySelector('caption')?.textContent).toBe(
      '3 grants'
    );
    expect(view.text()).toContain('3 grants apply to you');
    view.unmount();
  });

  it('tells a user with no grant what an administrator must create', () => {
    const view = show('no_grant');
    const part = view.container.querySelector('[data-part="grants"]');
    expect(part?.getAttribute('data-state')).toBe('none');
    expect(part?.querySelector('table')).toBeNull();
    expect(part?.textContent).toContain('No grant applies to you');
    expect(
      part?.querySelector('.jp-TrustedIdentity-remediation')?.textContent
    ).toContain('An administrator creates an access grant');
    view.unmount();
  });

  it('names the IAM action when S3 Access Grants cannot be read', () => {
    const view = show('denied');
    const actions = Array.from(
      view.container.querySelectorAll('[data-iam-action] code')
    ).map(code => code.textContent);
    expect(actions).toEqual([
      's3:GetAccessGrantsInstance',
      's3:ListCallerAccessGrants'
    ]);
    expect(view.text()).toContain('(AWS error AccessDenied)');
    view.unmount();
  });

  it('shows another instance with the server’s words and its documentation', () => {
    const view = show('other_instance');
    const part = view.container.querySelector('[data-part="integration"]');
    expect(part?.className).toContain('jp-mod-error');
    expect(part?.textContent).toContain(
      'S3 Access Grants uses another IAM Identity Center instance'
    );
    expect(part?.querySelector('a')?.getAttribute('href')).toBe(
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-instance-idc.html'
    );
    expect(view.container.querySelector('[data-iam-action]')).toBeNull();
    view.unmount();
  });
});

describe('AccessTestResult', () => {
  it('shows no secret of the answer', () => {
    const view = render(<AccessTestResult result={allowed()} trans={trans} />);
    for (const pattern of SECRET_PATTERNS) {
      expect(view.container.innerHTML).not.toMatch(pattern);
    }
    view.unmount();
  });
});
