/**
 * The view models of the panel's parts: pure functions from the model (and
 * the tracker's sessions) to what each part shows. Each part renders again
 * only when its view changes (viewWidget.tsx), so a view holds exactly what
 * its part shows and nothing else.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { throttledActions } from '../budget';

import type {
  IAccessGrantsView,
  IdentityFacts,
  IIntegrationView,
  IResourceGroupView,
  IServiceIntegrationView,
  IServiceStateView,
  ISessionRow
} from '../components';

import {
  GRANTS_TONES,
  grantsLabels,
  INTEGRATION_TONES,
  integrationLabels,
  RESOURCE_TONES,
  resourceCountLabels,
  resourceKindLabels,
  resourceStateLabels
} from '../labels/services';

import type { IModelError, ModelState, TrustedIdentityModel } from '../model';

import { baseName } from '../text';

import type { Tone } from '../tones';

import type { KernelSessionTracker } from '../tracker';

import { defaultTrans } from '../translation';

import type {
  ICheck,
  IConnectedService,
  IReport,
  IReportStudio,
  IServiceIntegration
} from '../types';

import { shouldNotify } from '../verdict';

import type { HandshakeResult } from '../version';

/**
 * What of the model the panel reads.
 */
export type PanelModel = Pick<
  TrustedIdentityModel,
  | 'state'
  | 'report'
  | 'kernels'
  | 'kernel'
  | 'error'
  | 'handshake'
  | 'refreshing'
  | 'updatedAt'
  | 'settings'
>;

/**
 * What of the tracker the panel reads.
 */
export type PanelTracker = Pick<KernelSessionTracker, 'sessions' | 'current'>;

/**
 * The rows of the sessions table: the followed notebooks and consoles, then
 * the kernels the server reports that no open document uses.
 */
export function sessionRows(
  model: Pick<PanelModel, 'kernels' | 'kernel'>,
  tracker: PanelTracker | null,
  trans: TranslationBundle = defaultTrans()
): ISessionRow[] {
  const rows: ISessionRow[] = [];
  const seen = new Set<string>();
  const current = tracker?.current ?? null;
  for (const session of tracker?.sessions ?? []) {
    if (!session.kernelId) {
      continue; // not a running kernel
    }
    const entry = model.kernel(session.kernelId);
    seen.add(session.kernelId);
    rows.push({
      key: session.widget.id,
      name: session.name,
      path: session.path,
      kind: session.kind,
      kernelId: session.kernelId,
      kernelDisplayName: session.kernelDisplayName,
      report: entry?.report ?? null,
      checking: entry?.checking ?? false,
      error: entry?.error ?? null,
      probe: entry?.probe ?? null,
      activatable: true,
      current: current?.widget === session.widget
    });
  }
  model.kernels.forEach((entry, kernelId) => {
    if (seen.has(kernelId) || !entry.report) {
      return;
    }
    const scope = entry.report.scope;
    rows.push({
      key: `kernel:${kernelId}`,
      name:
        baseName(scope.session_path) ||
        scope.kernel_name ||
        trans.__('Kernel %1', kernelId.slice(0, 8)),
      path: scope.session_path ?? '',
      kind: 'kernel',
      kernelId,
      kernelDisplayName: scope.kernel_name ?? '',
      report: entry.report,
      checking: entry.checking,
      error: entry.error,
      probe: entry.probe,
      activatable: false,
      current: false
    });
  });
  return rows;
}

/**
 * What the banner area shows: the verdict banner of the space's report, or
 * the reason-coded empty state without one.
 */
export type BannerView =
  | {
      kind: 'empty';
      state: ModelState;
      error: IModelError | null;
      handshake: HandshakeResult | null;
      refreshing: boolean;
    }
  | {
      kind: 'report';
      report: IReport;
      error: IModelError | null;
      updatedAt: number;
      refreshing: boolean;
      /**
       * The names of the running kernels whose verdict warrants a warning.
       */
      kernelsWithout: string[];
      /**
       * The IAM actions AWS throttles.
       */
      throttled: string[];
    };

/**
 * The view of the banner area.
 */
export function bannerView(
  model: PanelModel,
  tracker: PanelTracker | null,
  trans: TranslationBundle = defaultTrans()
): BannerView {
  const report = model.report;
  if (model.state !== 'ready' || !report) {
    return {
      kind: 'empty',
      state: model.state,
      error: model.error,
      handshake: model.handshake,
      refreshing: model.refreshing
    };
  }
  return {
    kind: 'report',
    report,
    error: model.error,
    updatedAt: model.updatedAt,
    refreshing: model.refreshing,
    kernelsWithout: sessionRows(model, tracker, trans)
      .filter(row => row.report && shouldNotify(row.report.verdict))
      .map(row => row.name),
    throttled: throttledActions(report)
  };
}

/**
 * What the identity section shows: the user and the AWS session of the
 * space's report, and the expiry warning window; `null` without a report.
 */
export interface IIdentityView {
  facts: IdentityFacts;
  expiryWarningMinutes: number;
}

/**
 * The view of the identity section.
 */
export function identityView(
  model: Pick<PanelModel, 'report' | 'settings'>
): IIdentityView | null {
  const report = model.report;
  if (!report) {
    return null;
  }
  const { user, role, credentials, verification } = report;
  return {
    facts: { user, role, credentials, verification },
    expiryWarningMinutes: model.settings.expiryWarningMinutes
  };
}

/**
 * The view of the checks section: the space's checks, or `null`.
 */
export function checksView(
  model: Pick<PanelModel, 'report'>
): ReadonlyArray<ICheck> | null {
  return model.report?.checks ?? null;
}

/**
 * The view of the Studio section: the space's Studio facts, or `null`.
 */
export function studioView(
  model: Pick<PanelModel, 'report'>
): IReportStudio | null {
  return model.report?.studio ?? null;
}

/**
 * What the services section shows: the identity-aware services, S3 Access
 * Grants' integration and grants when the server read them, and the
 * integration of every other service the server read, in the report's
 * order.
 */
export interface IServicesView {
  services: ReadonlyArray<IConnectedService>;
  accessGrants: IAccessGrantsView | null;
  integrations: IServiceIntegrationView[];
}

/**
 * The id of S3 Access Grants among the connected services.
 */
export const ACCESS_GRANTS_SERVICE = 's3-access-grants';

/**
 * The view of one state the server read, with its tone and label.
 */
function stateView<S extends string>(
  read: { state: S } & Pick<
    IServiceIntegration,
    'title' | 'detail' | 'remediation' | 'doc_url' | 'iam_action' | 'error_code'
  >,
  tones: Readonly<Record<S, Tone>>,
  labels: Record<S, string>
): IServiceStateView {
  const unknown = read.state === 'unknown';
  return {
    state: read.state,
    tone: tones[read.state] ?? 'neutral',
    label: labels[read.state] ?? read.state,
    title: read.title,
    detail: read.detail,
    remediation: read.remediation ?? null,
    docUrl: read.doc_url,
    iamAction: unknown ? (read.iam_action ?? null) : null,
    errorCode: unknown ? (read.error_code ?? null) : null
  };
}

/**
 * The Identity Center-enabled resources of an integration, a group per
 * kind in the order the kinds first appear, each group in the server's
 * order (those on the domain's instance first).
 */
function resourceGroups(
  resources: IServiceIntegration['resources'] | undefined,
  trans: TranslationBundle
): IResourceGroupView[] {
  const headings = resourceKindLabels(trans);
  const captions = resourceCountLabels(trans);
  const labels = resourceStateLabels(trans);
  const groups = new Map<string, IResourceGroupView>();
  for (const resource of resources ?? []) {
    let group = groups.get(resource.kind);
    if (!group) {
      group = {
        kind: resource.kind,
        heading: headings[resource.kind] ?? resource.kind,
        caption: '',
        resources: []
      };
      groups.set(resource.kind, group);
    }
    const instanceArn = resource.identity_center_instance_arn ?? null;
    group.resources.push({
      name: resource.name,
      instanceArn,
      instanceId: instanceArn ? baseName(instanceArn) : null,
      state: resource.state,
      tone: RESOURCE_TONES[resource.state] ?? 'neutral',
      label: labels[resource.state] ?? resource.state
    });
  }
  return Array.from(groups.values(), group => ({
    ...group,
    caption:
      captions[group.kind]?.(group.resources.length) ??
      String(group.resources.length)
  }));
}

/**
 * The view of a service's IAM Identity Center integration.
 */
function integrationView(
  integration: IServiceIntegration,
  trans: TranslationBundle
): IIntegrationView {
  return {
    ...stateView(integration, INTEGRATION_TONES, integrationLabels(trans)),
    resources: resourceGroups(integration.resources, trans),
    truncated: integration.truncated === true
  };
}

/**
 * The view of S3 Access Grants, or `null` when the server read neither its
 * integration nor the grants (outside Studio, a server before issue 10).
 */
export function accessGrantsView(
  service: IConnectedService | undefined,
  trans: TranslationBundle = defaultTrans()
): IAccessGrantsView | null {
  const integration = service?.integration ?? null;
  const grants = service?.grants ?? null;
  if (!service || (!integration && !grants)) {
    return null;
  }
  return {
    name: service.name,
    integration: integration ? integrationView(integration, trans) : null,
    grants: grants
      ? {
          ...stateView(grants, GRANTS_TONES, grantsLabels(trans)),
          count: grants.count ?? null,
          grants: (grants.grants ?? []).map(grant => ({
            scope: grant.scope,
            permission: grant.permission
          }))
        }
      : null,
    testable: !!integration
  };
}

/**
 * The views of the services other than S3 Access Grants whose integration
 * the server read, in the report's order; a service without one (EMR
 * Serverless, outside Studio, a server before issue 10) keeps only its row.
 */
export function serviceIntegrationsView(
  services: ReadonlyArray<IConnectedService>,
  trans: TranslationBundle = defaultTrans()
): IServiceIntegrationView[] {
  const views: IServiceIntegrationView[] = [];
  for (const service of services) {
    if (service.id !== ACCESS_GRANTS_SERVICE && service.integration) {
      views.push({
        id: service.id,
        name: service.name,
        integration: integrationView(service.integration, trans)
      });
    }
  }
  return views;
}

/**
 * The view of the services section.
 */
export function servicesView(
  model: Pick<PanelModel, 'report'>,
  trans: TranslationBundle = defaultTrans()
): IServicesView {
  const services = model.report?.connected_services ?? [];
  return {
    services,
    accessGrants: accessGrantsView(
      services.find(service => service.id === ACCESS_GRANTS_SERVICE),
      trans
    ),
    integrations: serviceIntegrationsView(services, trans)
  };
}

/**
 * Whether the panel has a report to show (its sections are shown).
 */
export function panelReady(
  model: Pick<PanelModel, 'state' | 'report'>
): boolean {
  return model.state === 'ready' && !!model.report;
}
