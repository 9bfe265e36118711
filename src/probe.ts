/**
 * The optional probe inside a kernel (`probeInsideKernel`): a silent,
 * history-free request in Python kernels that reports which identity the
 * notebook's own boto3 uses now. Nothing is left in the user's namespace and
 * no secret is printed: the access key id is masked in the kernel.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';

import { IProbeResult } from './types';

/**
 * The marker of the probe's output line.
 */
export const PROBE_MARKER = '__jupyterlab_trusted_identity_probe__';

/**
 * The Python source of the probe. It runs in a fresh namespace (`exec` with
 * its own globals), prints one line `MARKER{json}` and nothing else.
 */
export const PROBE_SOURCE = `
def _probe():
    import json
    out = {"status": "ok"}
    try:
        import boto3
        from botocore.config import Config
    except Exception:
        out = {"status": "boto3-missing"}
        return out
    try:
        session = boto3.Session()
        creds = session.get_credentials()
        if creds is None:
            return {"status": "no-credentials"}
        out["method"] = getattr(creds, "method", None)
        key = creds.get_frozen_credentials().access_key or ""
        out["access_key_id"] = (key[:4] + "\\u2026" + key[-4:]) if len(key) > 8 else "\\u2026"
    except Exception as error:
        return {"status": "error", "error": type(error).__name__ + ": " + str(error)[:200]}
    try:
        config = Config(connect_timeout=5, read_timeout=5, retries={"max_attempts": 1})
        out["caller_arn"] = session.client("sts", config=config).get_caller_identity()["Arn"]
    except Exception as error:
        out["error"] = type(error).__name__ + ": " + str(error)[:200]
    return out
try:
    _result = _probe()
except Exception as error:
    _result = {"status": "error", "error": type(error).__name__}
print(MARKER + __import__("json").dumps(_result))
`;

/**
 * The code sent to the kernel: the probe in its own namespace.
 */
export function probeCode(): string {
  return `exec(${JSON.stringify(PROBE_SOURCE)}, {"MARKER": ${JSON.stringify(
    PROBE_MARKER
  )}})`;
}

/**
 * Parse the probe's output (the concatenated stdout of the request).
 */
export function parseProbeOutput(
  text: string,
  now: () => string = () => new Date().toISOString()
): IProbeResult {
  const line = text
    .split('\n')
    .reverse()
    .find(candidate => candidate.startsWith(PROBE_MARKER));
  if (!line) {
    return {
      status: 'error',
      error: 'The probe printed no answer.',
      at: now()
    };
  }
  try {
    const data = JSON.parse(line.slice(PROBE_MARKER.length)) as Record<
      string,
      unknown
    >;
    const text = (value: unknown): string | null =>
      typeof value === 'string' ? value : null;
    const status = text(data.status) as IProbeResult['status'] | null;
    if (
      status !== 'ok' &&
      status !== 'no-credentials' &&
      status !== 'boto3-missing' &&
      status !== 'error'
    ) {
      throw new Error('unexpected status');
    }
    return {
      status,
      method: text(data.method),
      access_key_id: maskKey(text(data.access_key_id)),
      caller_arn: text(data.caller_arn),
      error: text(data.error),
      at: now()
    };
  } catch {
    return {
      status: 'error',
      error: 'The probe answer could not be read.',
      at: now()
    };
  }
}

/**
 * Mask an access key id again (defence in depth: at most 4 + 4 characters).
 */
export function maskKey(key: string | null): string | null {
  if (!key) {
    return key;
  }
  if (/^.{0,4}….{0,4}$/.test(key)) {
    return key;
  }
  return key.length > 8 ? `${key.slice(0, 4)}…${key.slice(-4)}` : '…';
}

/**
 * Options of `probeKernel`.
 */
export interface IProbeOptions {
  /**
   * Give up after this many milliseconds (default 30 s).
   */
  timeoutMs?: number;
}

/**
 * Run the probe in a kernel.
 *
 * Non-Python kernels get `unsupported-language` without anything executed;
 * a missing boto3 is `boto3-missing`. Never throws.
 */
export async function probeKernel(
  kernel: Kernel.IKernelConnection,
  options: IProbeOptions = {}
): Promise<IProbeResult> {
  const at = () => new Date().toISOString();
  let language: string | null = null;
  try {
    const info = await kernel.info;
    language = info?.language_info?.name ?? null;
  } catch {
    language = null;
  }
  if (!language || language.toLowerCase() !== 'python') {
    return { status: 'unsupported-language', language, at: at() };
  }

  let output = '';
  let future: Kernel.IShellFuture<
    KernelMessage.IExecuteRequestMsg,
    KernelMessage.IExecuteReplyMsg
  > | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const request = kernel.requestExecute(
      {
        code: probeCode(),
        silent: true,
        store_history: false,
        allow_stdin: false,
        stop_on_error: false
      },
      true
    );
    future = request;
    request.onIOPub = (message: KernelMessage.IIOPubMessage) => {
      if (message.header.msg_type === 'stream') {
        const content = message.content as KernelMessage.IStreamMsg['content'];
        if (content.name === 'stdout') {
          output += content.text;
        }
      }
    };
    const timeout = new Promise<'timeout'>(resolve => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutMs ?? 30_000);
    });
    const reply = await Promise.race([request.done, timeout]);
    if (reply === 'timeout') {
      return {
        status: 'error',
        language,
        error: 'The kernel did not answer the probe in time.',
        at: at()
      };
    }
  } catch (error) {
    return {
      status: 'error',
      language,
      error: error instanceof Error ? error.message : String(error),
      at: at()
    };
  } finally {
    if (timer !== undefined) {
      clearTimeout(timer);
    }
    future?.dispose();
  }
  return { ...parseProbeOutput(output, at), language };
}
