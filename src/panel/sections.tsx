/**
 * The panel's parts: the banner area above the sections, and the sections of
 * the accordion (SidePanel's own AccordionPanel, each section a
 * PanelWithToolbar whose title the accordion folds). Each part is a view
 * widget: it renders again only when the view it shows changes, and listens
 * only to the model's changes that view reads.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { PanelWithToolbar } from '@jupyterlab/ui-components';

import { Widget } from '@lumino/widgets';

import * as React from 'react';

import {
  AccessGrants,
  AccessTestForm,
  ChecksList,
  EmptyState,
  IdentitySection,
  ISessionRow,
  RunsWithoutIdentity,
  ServiceIntegration,
  SessionsTable,
  StudioFacts,
  ThrottledNote,
  VerdictBanner
} from '../components';

import type { TrustedIdentityModel } from '../model';

import type { KernelSessionTracker } from '../tracker';

import type { AccessPermission } from '../types';

import { FRONTEND_VERSION } from '../version';

import { IViewTrigger, modelChanges, ViewWidget } from '../viewWidget';

import { runAccessTest } from './accessTest';

import {
  bannerView,
  checksView,
  identityView,
  servicesView,
  sessionRows,
  studioView
} from './views';

/**
 * What the panel's parts read and do.
 */
export interface IPartOptions {
  model: TrustedIdentityModel;
  tracker: KernelSessionTracker | null;
  trans: TranslationBundle;
}

/**
 * The tracker's signals a part listens to.
 */
function trackerTriggers(
  tracker: KernelSessionTracker | null,
  current: boolean
): IViewTrigger[] {
  if (!tracker) {
    return [];
  }
  const triggers: IViewTrigger[] = [{ signal: tracker.sessionsChanged }];
  if (current) {
    triggers.push({ signal: tracker.currentChanged });
  }
  return triggers;
}

/**
 * The verdict banner (with the throttling note), or the reason-coded empty
 * state without a report.
 */
export function createBanner(options: IPartOptions): Widget {
  const { model, tracker, trans } = options;
  const banner = new ViewWidget({
    triggers: [
      modelChanges(model, 'state', 'server', 'kernels'),
      ...trackerTriggers(tracker, false)
    ],
    view: () => bannerView(model, tracker, trans),
    render: view =>
      view.kind === 'empty' ? (
        <EmptyState
          state={view.state}
          error={view.error}
          handshake={view.handshake}
          frontendVersion={FRONTEND_VERSION}
          busy={view.refreshing}
          onRetry={() => void model.refresh()}
          trans={trans}
        />
      ) : (
        <>
          <VerdictBanner
            report={view.report}
            error={view.error}
            updatedAt={view.updatedAt}
            refreshing={view.refreshing}
            kernelsWithout={view.kernelsWithout}
            trans={trans}
          />
          <ThrottledNote actions={view.throttled} trans={trans} />
        </>
      )
  });
  banner.addClass('jp-TrustedIdentity-bannerArea');
  return banner;
}

/**
 * A section of the panel's accordion: a titled, labelled region whose body
 * is a view widget.
 */
export class Section extends PanelWithToolbar {
  constructor(name: string, label: string, body: Widget) {
    super();
    this.id = `jp-TrustedIdentity-section-${name}`;
    this.addClass('jp-TrustedIdentity-sectionWidget');
    this.node.dataset.section = name;
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', label);
    this.title.label = label;
    body.addClass('jp-TrustedIdentity-sectionBody');
    body.id = `${this.id}-body`;
    this.addWidget(body);
  }

  /**
   * The body of the section.
   */
  get body(): Widget {
    return this.widgets[0];
  }
}

/**
 * What the sessions section does with a row.
 */
export interface ISessionActions {
  onActivate: (row: ISessionRow) => void;
  onRecheck: (row: ISessionRow) => void;
}

/**
 * The sections of the panel, in order: identity, sessions, checks, Studio
 * space, services and limits.
 */
export function createSections(
  options: IPartOptions & ISessionActions
): Section[] {
  const { model, tracker, trans } = options;
  const identity = new ViewWidget({
    triggers: [modelChanges(model, 'server', 'settings')],
    view: () => identityView(model),
    render: view =>
      view && (
        <IdentitySection
          report={view.facts}
          expiryWarningMinutes={view.expiryWarningMinutes}
          trans={trans}
        />
      )
  });
  const sessions = new ViewWidget({
    triggers: [
      modelChanges(model, 'kernels'),
      ...trackerTriggers(tracker, true)
    ],
    view: () => sessionRows(model, tracker, trans),
    render: rows => (
      <div className="jp-TrustedIdentity-section">
        <SessionsTable
          rows={rows}
          onActivate={options.onActivate}
          onRecheck={options.onRecheck}
          trans={trans}
        />
      </div>
    )
  });
  const checks = new ViewWidget({
    triggers: [modelChanges(model, 'server')],
    view: () => checksView(model),
    render: view => view && <ChecksList checks={view} trans={trans} />
  });
  const studio = new ViewWidget({
    triggers: [modelChanges(model, 'server')],
    view: () => studioView(model),
    render: view => view && <StudioFacts studio={view} trans={trans} />
  });
  // The form keeps its own input and answer; a test asks the model, and
  // only when the user presses Test.
  const onTestAccess = (target: string, permission: AccessPermission) =>
    runAccessTest((t, p) => model.testAccess(t, p), target, permission, trans);
  const services = new ViewWidget({
    triggers: [modelChanges(model, 'server')],
    view: () => servicesView(model, trans),
    render: view => (
      <RunsWithoutIdentity services={view.services} trans={trans}>
        {view.accessGrants && (
          <AccessGrants view={view.accessGrants} trans={trans}>
            {view.accessGrants.testable && (
              <AccessTestForm onTest={onTestAccess} trans={trans} />
            )}
          </AccessGrants>
        )}
        {view.integrations.map(integration => (
          <ServiceIntegration
            key={integration.id}
            view={integration}
            trans={trans}
          />
        ))}
      </RunsWithoutIdentity>
    )
  });
  return [
    new Section('identity', trans.__('Identity'), identity),
    new Section('sessions', trans.__('Sessions'), sessions),
    new Section('checks', trans.__('Checks'), checks),
    new Section('studio', trans.__('Studio space'), studio),
    new Section('notes', trans.__('Services and limits'), services)
  ];
}
