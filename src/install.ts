/**
 * Which server extension matches this frontend and how to install it: the
 * versions compared by PEP 440's rules (the Python package's scheme), the
 * wheel's name, the install command and the steps the empty state shows.
 * Not needed at start-up: version.ts recognizes the matching server on its
 * own; a failed handshake (handshake.ts) and the panel use this.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { defaultTrans } from './translation';

import { FRONTEND_VERSION, PYTHON_DISTRIBUTION } from './version';

/**
 * A version parsed by PEP 440's rules (the scheme of the Python package).
 */
export interface IParsedVersion {
  epoch: number;
  release: number[];
  /**
   * The pre-release, its label normalised to `a`, `b` or `rc`.
   */
  pre: { label: 'a' | 'b' | 'rc'; number: number } | null;
  post: number | null;
  dev: number | null;
  /**
   * The local label, lower case, `.`-separated.
   */
  local: string | null;
}

// PEP 440's version pattern (as in `packaging.version`). npm's pre-release
// spellings are among the separators it accepts: `0.2.0-rc.1` parses as
// `0.2.0rc1`, `0.2.0-alpha.0` as `0.2.0a0`, `0.2.0-dev.3` as `0.2.0.dev3`,
// which is how hatch-nodejs-version turns package.json's version into the
// Python package's.
const PEP440 = new RegExp(
  '^\\s*v?' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?:[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?' +
    '(?:-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?' +
    '(?:[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?' +
    '\\s*$',
  'i'
);

const PRE_LABELS: Record<string, 'a' | 'b' | 'rc'> = {
  alpha: 'a',
  a: 'a',
  beta: 'b',
  b: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rc: 'rc'
};

/**
 * Parse a version by PEP 440's rules; `null` when it is not one.
 *
 * @param text A Python (PEP 440) or npm (semver) version.
 */
export function parseVersion(text: string): IParsedVersion | null {
  const match = typeof text === 'string' ? PEP440.exec(text) : null;
  const g = match?.groups;
  if (!g) {
    return null;
  }
  const int = (value: string | undefined) => parseInt(value ?? '0', 10);
  const postText = g.postN1 ?? g.postN2;
  return {
    epoch: int(g.epoch),
    release: g.release.split('.').map(part => int(part)),
    pre: g.preL
      ? { label: PRE_LABELS[g.preL.toLowerCase()], number: int(g.preN) }
      : null,
    post: g.postN1 !== undefined || g.postL ? int(postText) : null,
    dev: g.devL ? int(g.devN) : null,
    local: g.local
      ? g.local
          .toLowerCase()
          .split(/[-_.]/)
          .map(part => (/^[0-9]+$/.test(part) ? String(int(part)) : part))
          .join('.')
      : null
  };
}

/**
 * The normalised PEP 440 form of a version (`0.2.0-rc.1` → `0.2.0rc1`), the
 * one in the wheel's file name; the text itself, trimmed, when it is not a
 * version.
 *
 * @param text A Python (PEP 440) or npm (semver) version.
 */
export function normalizeVersion(text: string): string {
  const v = parseVersion(text);
  if (!v) {
    return String(text).trim();
  }
  return (
    (v.epoch ? `${v.epoch}!` : '') +
    v.release.join('.') +
    (v.pre ? `${v.pre.label}${v.pre.number}` : '') +
    (v.post !== null ? `.post${v.post}` : '') +
    (v.dev !== null ? `.dev${v.dev}` : '') +
    (v.local ? `+${v.local}` : '')
  );
}

/**
 * Whether two versions are the same version, in either scheme: the npm
 * version of this frontend and the PEP 440 version of the server extension
 * built from it are the same (`0.2.0-rc.1` and `0.2.0rc1`); another release,
 * pre-release, post-release or dev release is not. Text that is not a
 * version only matches the same text.
 *
 * @param a A version.
 * @param b Another version.
 */
export function sameVersion(a: string, b: string): boolean {
  const [va, vb] = [parseVersion(a), parseVersion(b)];
  if (!va || !vb) {
    return String(a).trim() === String(b).trim();
  }
  // PEP 440: trailing zeros of the release do not count (1.0 == 1.0.0).
  const release = (v: IParsedVersion) => {
    const parts = [...v.release];
    while (parts.length > 1 && parts[parts.length - 1] === 0) {
      parts.pop();
    }
    return parts.join('.');
  };
  return (
    va.epoch === vb.epoch &&
    release(va) === release(vb) &&
    va.pre?.label === vb.pre?.label &&
    va.pre?.number === vb.pre?.number &&
    va.post === vb.post &&
    va.dev === vb.dev &&
    va.local === vb.local
  );
}

/**
 * The file name of the wheel of a version (what `make dist` writes).
 *
 * @param version The version, in either scheme.
 */
export function wheelName(version: string): string {
  return `${PYTHON_DISTRIBUTION}-${normalizeVersion(version)}-py3-none-any.whl`;
}

/**
 * The command that installs the server extension of a version into the
 * environment it runs in, from its wheel: `--no-deps`, because the
 * environment that runs JupyterLab has the dependencies and pip must not
 * change its packages.
 *
 * @param version The version, in either scheme.
 */
export function installCommand(version: string): string {
  return `pip install --no-deps ${wheelName(version)}`;
}

/**
 * How to install the server extension that matches this frontend: the
 * sentence before the command, the command, and the sentence after it.
 *
 * @param frontendVersion The frontend package version.
 * @param trans The translation bundle.
 */
export function installSteps(
  frontendVersion: string = FRONTEND_VERSION,
  trans: TranslationBundle = defaultTrans()
): { before: string; command: string; after: string } {
  return {
    before: trans.__(
      'Install the server extension %1 from the same wheel as this frontend, in a terminal of this JupyterLab (the environment that runs JupyterLab):',
      normalizeVersion(frontendVersion)
    ),
    command: installCommand(frontendVersion),
    after: trans.__(
      'Then restart the Jupyter server and reload this page. In SageMaker Studio, run restart-jupyter-server in that terminal: stopping the space starts it again from its image, without the install (the README tells how to keep it).'
    )
  };
}
