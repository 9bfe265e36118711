/**
 * The model and kernel tracker the panel, status bar and commands specs
 * work on: the happy space's server (fake), whose kernels run with an AWS
 * profile until re-checked, one notebook tracker and a shell.
 */
import { TrustedIdentityAPI } from '../api';

import { TrustedIdentityModel } from '../model';

import { KernelSessionTracker } from '../tracker';

import { FakeShell, FakeTracker } from './fakes';

import { happyServer, json, RouteHandler } from './helpers';

import { awsProfileKernel, happyKernel } from './reports';

/**
 * The kernel id of the captured kernel reports (src/__tests__/data).
 */
export const K1 = '159d2982-e0a2-4e4a-9c04-2c483836c516';

export function setupWorkbench(routes: Record<string, RouteHandler> = {}) {
  const server = happyServer({
    'GET kernels/*': ({ path }) => json(awsProfileKernel(path.split('/')[1])),
    'POST kernels/*/check': ({ path }) => json(happyKernel(path.split('/')[1])),
    ...routes
  });
  const model = new TrustedIdentityModel({
    api: new TrustedIdentityAPI({ serverSettings: server.settings })
  });
  const notebooks = new FakeTracker();
  const shell = new FakeShell();
  const tracker = new KernelSessionTracker({ model, notebooks, shell });
  return { server, model, notebooks, shell, tracker };
}
