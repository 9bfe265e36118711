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

import { sameView } from '../viewWidget';

import {
  accessGrants,
  awsProfileKernel,
  beforeIssue10,
  happy,
  happyKernel,
  outsideStudio,
  stsThrottled
} from './reports';

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
    expect(servicesView(model).services).toBe(report.connected_services);
    const empty = modelOf(null);
    expect(identityView(empty)).toBeNull();
    expect(checksView(empty)).toBeNull();
    expect(studioView(empty)).toBeNull();
    expect(servicesView(empty)).toEqual({
      services: [],
      accessGrants: null,
      integrations: []
    });
  });
});

describe('the services view: S3 Access Grants', () => {
  const viewOf = (report: IReport) =>
    servicesView(modelOf(report), trans).accessGrants;

  it('lists the grants of an integration on the domain’s instance, in AWS’s order', () => {
    const view = viewOf(accessGrants('user_and_group'));
    expect(view).toEqual({
      name: 'Amazon S3 Access Grants',
      integration: {
        state: 'ready',
        tone: 'success',
        label: 'Ready',
        title:
          "S3 Access Grants uses the domain's IAM Identity Center instance",
        detail:
          "Grants to the user and the user's groups apply to this space's session.",
        remediation: null,
        docUrl:
          'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-instance-idc.html',
        iamAction: null,
        errorCode: null,
        resources: [],
        truncated: false
      },
      grants: {
        state: 'listed',
        tone: 'success',
        label: 'Grants listed',
        title: '3 grants apply to you',
        detail: 'S3 Access Grants lists 3 grants that apply to you.',
        remediation: null,
        docUrl:
          'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-list-grants.html',
        iamAction: null,
        errorCode: null,
        count: 3,
        grants: [
          {
            scope: 's3://amzn-s3-demo-bucket/projects/churn/*',
            permission: 'READ'
          },
          {
            scope: 's3://amzn-s3-demo-bucket/users/jdoe/*',
            permission: 'READWRITE'
          },
          { scope: 's3://amzn-s3-demo-bucket/shared/*', permission: 'READ' }
        ]
      },
      testable: true
    });
  });

  it('tells a user with no grant what an administrator must create', () => {
    const view = viewOf(accessGrants('no_grant'))!;
    expect(view.integration!.state).toBe('ready');
    expect(view.grants).toMatchObject({
      state: 'none',
      tone: 'warn',
      label: 'No grant',
      title: 'No grant applies to you',
      count: 0,
      grants: []
    });
    expect(view.grants!.remediation).toContain('creates an access grant');
    expect(view.testable).toBe(true);
  });

  it('shows an integration on another Identity Center instance as an error', () => {
    const view = viewOf(accessGrants('other_instance'))!;
    expect(view.integration).toMatchObject({
      state: 'other_instance',
      tone: 'error',
      label: 'Other Identity Center instance',
      iamAction: null
    });
    expect(view.integration!.detail).toContain('ssoins-99887766aabbccdd');
    expect(view.integration!.remediation).toContain('associates');
  });

  it('shows no instance as not configured, without grants', () => {
    const view = viewOf(accessGrants('no_instance'))!;
    expect(view.integration).toMatchObject({
      state: 'not_configured',
      tone: 'error',
      label: 'Not configured',
      title: 'No S3 Access Grants instance'
    });
    expect(view.grants).toBeNull();
    expect(view.testable).toBe(true);
  });

  it('names the IAM action to allow when S3 Access Grants cannot be read', () => {
    const view = viewOf(accessGrants('denied'))!;
    expect(view.integration).toMatchObject({
      state: 'unknown',
      tone: 'warn',
      label: 'Cannot tell',
      iamAction: 's3:GetAccessGrantsInstance',
      errorCode: 'AccessDenied'
    });
    expect(view.grants).toMatchObject({
      state: 'unknown',
      tone: 'warn',
      label: 'Cannot tell',
      iamAction: 's3:ListCallerAccessGrants',
      errorCode: 'AccessDenied',
      count: null,
      grants: []
    });
  });

  it('shows the IAM action only when the state cannot be told', () => {
    const report = accessGrants('user_and_group');
    const service = report.connected_services[0];
    service.integration!.iam_action = 's3:GetAccessGrantsInstance';
    expect(viewOf(report)!.integration!.iamAction).toBeNull();
  });

  it('has nothing of S3 Access Grants when the server read none of it', () => {
    // Outside Studio, and a server before issue 10 (no integration field).
    expect(viewOf(outsideStudio())).toBeNull();
    expect(viewOf(beforeIssue10(happy()))).toBeNull();
    const report = accessGrants('user_and_group');
    report.connected_services = report.connected_services.filter(
      service => service.id !== 's3-access-grants'
    );
    expect(viewOf(report)).toBeNull();
  });

  it('is the same view for the same report, and another when a state changes', () => {
    const before = servicesView(modelOf(accessGrants('user_and_group')), trans);
    expect(
      sameView(
        before,
        servicesView(modelOf(accessGrants('user_and_group')), trans)
      )
    ).toBe(true);
    expect(
      sameView(before, servicesView(modelOf(accessGrants('no_grant')), trans))
    ).toBe(false);
  });
});
