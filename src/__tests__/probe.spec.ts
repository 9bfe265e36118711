import { Signal } from '@lumino/signaling';

import {
  maskKey,
  parseProbeOutput,
  PROBE_MARKER,
  probeCode,
  probeKernel
} from '../probe';

/**
 * A fake kernel whose execute request answers with `stdout`.
 */
function fakeKernel(language: string, stdout: string[], fail = false) {
  const requests: any[] = [];
  const kernel = {
    info: Promise.resolve({ language_info: { name: language } }),
    requestExecute(content: any) {
      requests.push(content);
      const future: any = {
        onIOPub: null,
        disposed: new Signal(this),
        dispose: jest.fn(),
        done: (async () => {
          await Promise.resolve();
          if (fail) {
            throw new Error(
              'Canceled future for execute_request message before replies were done'
            );
          }
          for (const text of stdout) {
            future.onIOPub?.({
              header: { msg_type: 'stream' },
              content: { name: 'stdout', text }
            });
          }
          future.onIOPub?.({ header: { msg_type: 'status' }, content: {} });
          return { content: { status: 'ok' } };
        })()
      };
      return future;
    }
  };
  return { kernel: kernel as any, requests };
}

describe('probe', () => {
  it('runs silently and without history in a fresh namespace', () => {
    const code = probeCode();
    expect(code.startsWith('exec(')).toBe(true);
    expect(code).toContain(PROBE_MARKER);
    expect(code).not.toMatch(/secret_key|token/i);
  });

  it('reads the answer of a Python kernel', async () => {
    const { kernel, requests } = fakeKernel('python', [
      'noise\n',
      `${PROBE_MARKER}{"status": "ok", "method": "assume-role", "access_key_id": "ASIA\\u2026UUY6", `,
      '"caller_arn": "arn:aws:sts::1:assumed-role/AnalyticsRole/analytics"}\n'
    ]);
    const result = await probeKernel(kernel);
    expect(requests[0]).toMatchObject({
      silent: true,
      store_history: false,
      allow_stdin: false
    });
    expect(result).toMatchObject({
      status: 'ok',
      language: 'python',
      method: 'assume-role',
      access_key_id: 'ASIA…UUY6',
      caller_arn: 'arn:aws:sts::1:assumed-role/AnalyticsRole/analytics'
    });
  });

  it('reports a missing boto3', async () => {
    const { kernel } = fakeKernel('python', [
      `${PROBE_MARKER}{"status": "boto3-missing"}\n`
    ]);
    expect((await probeKernel(kernel)).status).toBe('boto3-missing');
  });

  it('does not run in non-Python kernels', async () => {
    const { kernel, requests } = fakeKernel('R', []);
    const result = await probeKernel(kernel);
    expect(result).toMatchObject({
      status: 'unsupported-language',
      language: 'R'
    });
    expect(requests).toEqual([]);
  });

  it('turns failures into a reported error', async () => {
    const { kernel } = fakeKernel('python', [], true);
    expect((await probeKernel(kernel)).status).toBe('error');
    expect(parseProbeOutput('nothing').status).toBe('error');
    expect(parseProbeOutput(`${PROBE_MARKER}{bad json`).status).toBe('error');
    expect(parseProbeOutput(`${PROBE_MARKER}{"status": "odd"}`).status).toBe(
      'error'
    );
  });

  it('masks an access key id that arrives unmasked', () => {
    expect(maskKey('ASIAABCDEFGHIJKLWXYZ')).toBe('ASIA…WXYZ');
    expect(maskKey('ASIA…WXYZ')).toBe('ASIA…WXYZ');
    expect(maskKey('short')).toBe('…');
    expect(maskKey(null)).toBeNull();
    expect(
      parseProbeOutput(
        `${PROBE_MARKER}{"status": "ok", "access_key_id": "AKIAABCDEFGHIJKLWXYZ"}`
      ).access_key_id
    ).toBe('AKIA…WXYZ');
  });
});
