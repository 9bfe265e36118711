/**
 * The notifications raised when due (src/notices.ts, the lazy chunk): a
 * kernel that started without the propagated identity, with its actions, and
 * a failed version handshake, with its details.
 */
import { Notification } from '@jupyterlab/apputils';

import { nullTranslator } from '@jupyterlab/translation';

import { notifyHandshake, notifyKernelStart } from '../notices';

import { FRONTEND_VERSION } from '../version';

import { waitFor } from './helpers';

import { awsProfileKernel } from './reports';

const trans = nullTranslator.load('jupyterlab_trusted_identity');

afterEach(() => {
  Notification.manager.dismiss();
  document.body.innerHTML = '';
});

function shown(): Notification.INotification[] {
  return Notification.manager.notifications;
}

describe('notifyKernelStart', () => {
  it('warns about the kernel with an Open panel action and, when it can, a way to turn it off', () => {
    const openPanel = jest.fn();
    const turnOff = jest.fn();
    notifyKernelStart({
      report: awsProfileKernel(),
      documentName: 'aws.ipynb',
      trans,
      openPanel,
      turnOff
    });
    expect(shown()).toHaveLength(1);
    const [notice] = shown();
    expect(notice.type).toBe('warning');
    expect(notice.message).toMatch(
      /^The kernel of aws\.ipynb runs without your identity: .*AWS_PROFILE/
    );
    expect(notice.options.autoClose).toBe(15000);
    const actions = notice.options.actions ?? [];
    expect(actions.map(action => action.label)).toEqual([
      'Open panel',
      "Don't notify again"
    ]);
    actions[0].callback(new MouseEvent('click'));
    expect(openPanel).toHaveBeenCalledTimes(1);
    actions[1].callback(new MouseEvent('click'));
    expect(turnOff).toHaveBeenCalledTimes(1);

    // Without a settings registry there is nothing to turn off.
    Notification.manager.dismiss();
    notifyKernelStart({
      report: awsProfileKernel(),
      documentName: null,
      trans,
      openPanel,
      turnOff: null
    });
    expect(
      (shown()[0].options.actions ?? []).map(action => action.label)
    ).toEqual(['Open panel']);
  });
});

describe('notifyHandshake', () => {
  it('warns until dismissed, with the details (what to install) a click away', async () => {
    notifyHandshake(
      {
        ok: false,
        problem: 'missing',
        server: null,
        message: 'the console message with the install steps'
      },
      trans
    );
    expect(shown()).toHaveLength(1);
    const [notice] = shown();
    expect(notice.type).toBe('warning');
    expect(notice.message).toContain('server extension missing');
    expect(notice.message).toContain(FRONTEND_VERSION);
    expect(notice.options.autoClose).toBe(false);
    const actions = notice.options.actions ?? [];
    expect(actions.map(action => action.label)).toEqual(['Details']);
    actions[0].callback(new MouseEvent('click'));
    await waitFor(() =>
      (document.body.textContent ?? '').includes(
        'the console message with the install steps'
      )
    );
    expect(document.body.textContent).toContain(
      'Trusted identity: server extension'
    );
  });
});
