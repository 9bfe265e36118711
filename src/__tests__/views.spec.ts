/**
 * The view models of the panel (src/panel/views.ts), tested as pure
 * functions of the model's data and the tracker's sessions.
 */
import { nullTranslator } from '@jupyterlab/translation';

import type { IKernelEntry } from '../model';

import {
  bannerView,
  checksView,
  identityView,
  PanelModel,
  panelReady,
  servicesView,
  sessionRows,
  studioView
} from '../panel/views';

import type { ITrackedSession } from '../tracker';

import type { IReport } from '../types';

import { awsProfileKernel, happy, happyKernel, stsThrottled } from './reports';

const trans = nullTranslator.load('jupyterlab_trusted_identity');
const K1 = '159d2982-e0a2-4e4a-9c04-2c483836c516';
const K2 = '22222222-2222-4222-8222-222222222222';
const K3 = '33333333-3333-4333-8333-333333333333';

/**
 * The model's data as the views read it.
 */
function modelOf(
  report: IReport | null,
  kernels: Partial<IKernelEntry>[] = [],
  state: PanelModel['state'] = report ? 'ready' : 'loading'
): PanelModel {
  const entries = new Map<string, IKernelEntry>(
    kernels.map(entry => [
      entry.kernelId!,
      {
        kernelId: entry.kernelId!,
        report: null,
        checking: false,
        launch: 1,
        error: null,
        probe: null,
        ...entry
      }
    ])
  );
  return {
    state,
    report,
    kernels: entries,
    kernel: (id: string | null | undefined) => entries.get(id ?? ''),
    error: null,
    handshake: null,
    refreshing: false,
    updatedAt: 1000,
    settings: { expiryWarningMinutes: 15 } as PanelModel['settings']
  };
}

/**
 * A followed notebook session.
 */
function session(
  path: string,
  kernelId: string | null,
  widgetId = `widget-${path}`
): ITrackedSession {
  return {
    widget: { id: widgetId } as ITrackedSession['widget'],
    kind: 'notebook',
    kernelId,
    kernelName: 'python3',
    kernelDisplayName: 'Python 3 (ipykernel)',
    name: path.split('/').pop()!,
    path
  } as ITrackedSession;
}

describe('sessionRows', () => {
  it('lists followed documents with a kernel, then kernels without one', () => {
    const model = modelOf(happy(), [
      { kernelId: K1, report: awsProfileKernel(K1) },
      {
        kernelId: K2,
        report: happyKernel(K2, { session_path: 'other.ipynb' })
      },
      // Known only as being checked: no row without a document.
      { kernelId: K3, checking: true }
    ]);
    const open = session('work/aws.ipynb', K1);
    const tracker = {
      sessions: [open, session('idle.ipynb', null)],
      current: open
    };
    const rows = sessionRows(model, tracker, trans);
    expect(
      rows.map(r => [r.key, r.name, r.kind, r.report?.verdict, r.current])
    ).toEqual([
      [
        'widget-work/aws.ipynb',
        'aws.ipynb',
        'notebook',
        'not_propagated',
        true
      ],
      [`kernel:${K2}`, 'other.ipynb', 'kernel', 'propagated', false]
    ]);
    expect(rows.map(r => r.activatable)).toEqual([true, false]);
  });

  it('names a kernel without a document by its kernelspec, else its id', () => {
    const named = happyKernel(K2);
    named.scope.session_path = null;
    named.scope.kernel_name = 'python3-aws';
    const bare = happyKernel(K3);
    bare.scope.session_path = null;
    bare.scope.kernel_name = null;
    const rows = sessionRows(
      modelOf(happy(), [
        { kernelId: K2, report: named },
        { kernelId: K3, report: bare }
      ]),
      null,
      trans
    );
    expect(rows.map(r => r.name)).toEqual(['python3-aws', 'Kernel 33333333']);
  });
});

describe('bannerView', () => {
  it('is the empty state until the model is ready with a report', () => {
    expect(bannerView(modelOf(null), null, trans)).toEqual({
      kind: 'empty',
      state: 'loading',
      error: null,
      handshake: null,
      refreshing: false
    });
    expect(panelReady(modelOf(null))).toBe(false);
    expect(panelReady(modelOf(happy()))).toBe(true);
  });

  it('names the kernels without the identity and the throttled actions', () => {
    const model = modelOf(stsThrottled(), [
      { kernelId: K1, report: awsProfileKernel(K1) },
      { kernelId: K2, report: happyKernel(K2) }
    ]);
    const view = bannerView(
      model,
      { sessions: [session('aws.ipynb', K1)], current: null },
      trans
    );
    expect(view).toMatchObject({
      kind: 'report',
      kernelsWithout: ['aws.ipynb'],
      throttled: ['sts:GetCallerIdentity'],
      updatedAt: 1000
    });
  });
});

describe('the sections’ views', () => {
  it('hold what each section shows, and nothing without a report', () => {
    const report = happy();
    const model = modelOf(report);
    expect(identityView(model)).toEqual({
      facts: {
        user: report.user,
        role: report.role,
        credentials: report.credentials,
        verification: report.verification
      },
      expiryWarningMinutes: 15
    });
    expect(checksView(model)).toBe(report.checks);
    expect(studioView(model)).toBe(report.studio);
    expect(servicesView(model)).toBe(report.connected_services);
    const empty = modelOf(null);
    expect(identityView(empty)).toBeNull();
    expect(checksView(empty)).toBeNull();
    expect(studioView(empty)).toBeNull();
    expect(servicesView(empty)).toEqual([]);
  });
});
