/**
 * The IAM Identity Center integration of the services other than S3 Access
 * Grants (issue 10): their views (src/panel/views.ts) and the component that
 * shows one (src/components/ServiceIntegration.tsx). panel.spec.ts shows
 * them in the panel's services section.
 */
import { nullTranslator } from '@jupyterlab/translation';

import * as React from 'react';

import {
  AccessGrants,
  RESOURCE_ROWS_SHOWN,
  ServiceIntegration
} from '../components';

import {
  accessGrantsView,
  serviceIntegrationsView,
  servicesView
} from '../panel/views';

import type { IReport } from '../types';

import { sameView } from '../viewWidget';

import { click, render } from './render';

import { beforeIssue10, happy, outsideStudio, services } from './reports';

const trans = nullTranslator.load('jupyterlab_trusted_identity');

const INTEGRATED = [
  'athena',
  'emr-ec2',
  'lake-formation',
  'redshift-data',
  'glue'
];

const viewsOf = (report: IReport) =>
  serviceIntegrationsView(report.connected_services, trans);

const integrationOf = (report: IReport, id: string) =>
  report.connected_services.find(service => service.id === id)!.integration!;

describe('the services view: the other services’ integrations', () => {
  it('has one view per service the server read, in the report’s order, S3 Access Grants apart', () => {
    const report = services('happy');
    const views = viewsOf(report);
    const expected = report.connected_services
      .filter(s => s.integration && s.id !== 's3-access-grants')
      .map(s => s.id);
    expect(views.map(view => view.id)).toEqual(expected);
    expect([...expected].sort()).toEqual([...INTEGRATED].sort());
    expect(views.map(view => view.name)).toEqual(
      expected.map(id => report.connected_services.find(s => s.id === id)!.name)
    );
  });

  it('holds the server’s words with the state’s tone and label', () => {
    const report = services('happy');
    for (const view of viewsOf(report)) {
      const read = integrationOf(report, view.id);
      expect(view.integration).toMatchObject({
        state: 'ready',
        tone: 'success',
        label: 'Ready',
        title: read.title,
        detail: read.detail,
        remediation: read.remediation,
        docUrl: read.doc_url,
        iamAction: null,
        errorCode: null,
        truncated: false
      });
    }
  });

  it('groups the resources by kind with their instance, caption and name heading', () => {
    const views = viewsOf(services('happy'));
    const athena = views.find(view => view.id === 'athena')!;
    expect(athena.integration.resources).toEqual([
      {
        kind: 'workgroup',
        heading: 'Workgroup',
        caption: '1 Identity Center-enabled workgroup',
        resources: [
          {
            name: 'tip-analysts',
            instanceArn: 'arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6',
            instanceId: 'ssoins-7223a1b2c3d4e5f6',
            state: 'ready',
            tone: 'success',
            label: 'Domain’s instance'
          }
        ]
      }
    ]);
    const kinds: Record<string, string[][]> = {};
    for (const view of views) {
      kinds[view.id] = view.integration.resources.map(group => [
        group.kind,
        group.heading
      ]);
    }
    expect(kinds).toEqual({
      athena: [['workgroup', 'Workgroup']],
      'lake-formation': [],
      'redshift-data': [['idc_application', 'Identity Center application']],
      glue: [],
      'emr-ec2': [['security_configuration', 'Security configuration']]
    });
  });

  it('counts several resources, keeps the server’s order, and says when the list is cut', () => {
    const report = services('happy');
    const athena = integrationOf(report, 'athena');
    athena.resources.push(
      {
        kind: 'workgroup',
        name: 'legacy',
        identity_center_instance_arn:
          'arn:aws:sso:::instance/ssoins-99887766aabbccdd',
        state: 'other_instance'
      },
      {
        kind: 'workgroup',
        name: 'orphan',
        identity_center_instance_arn: null,
        state: 'other_instance'
      }
    );
    athena.truncated = true;
    const view = viewsOf(report).find(v => v.id === 'athena')!.integration;
    expect(view.truncated).toBe(true);
    expect(view.resources).toHaveLength(1);
    const [group] = view.resources;
    expect(group.caption).toBe('3 Identity Center-enabled workgroups');
    expect(
      group.resources.map(r => [r.name, r.instanceId, r.tone, r.label])
    ).toEqual([
      [
        'tip-analysts',
        'ssoins-7223a1b2c3d4e5f6',
        'success',
        'Domain’s instance'
      ],
      ['legacy', 'ssoins-99887766aabbccdd', 'warn', 'Other instance'],
      ['orphan', null, 'warn', 'Other instance']
    ]);
  });

  it('shows another instance as an error, its resources as on another instance', () => {
    const views = viewsOf(services('other_instance'));
    expect(views.map(view => view.integration.tone)).toEqual(
      views.map(() => 'error')
    );
    expect(views[0].integration.label).toBe('Other Identity Center instance');
    const states: string[] = [];
    for (const view of views) {
      for (const group of view.integration.resources) {
        states.push(...group.resources.map(r => r.state));
      }
    }
    expect(states).toEqual([
      'other_instance',
      'other_instance',
      'other_instance'
    ]);
  });

  it('shows a service with no Identity Center integration as not configured, without resources', () => {
    const report = services('not_configured');
    const views = viewsOf(report);
    expect(views.map(view => view.id).sort()).toEqual([...INTEGRATED].sort());
    for (const view of views) {
      const read = integrationOf(report, view.id);
      expect(view.integration).toMatchObject({
        state: 'not_configured',
        tone: 'error',
        label: 'Not configured',
        title: read.title,
        remediation: read.remediation,
        iamAction: null,
        resources: []
      });
    }
  });

  it('names the IAM action and AWS’s error when the role may not describe a service', () => {
    const report = services('denied');
    for (const view of viewsOf(report)) {
      const read = integrationOf(report, view.id);
      expect(view.integration).toMatchObject({
        state: 'unknown',
        tone: 'warn',
        label: 'Cannot tell',
        iamAction: read.iam_action,
        errorCode: read.error_code
      });
      expect(view.integration.iamAction).toBeTruthy();
    }
  });

  it('shows the IAM action only when the state cannot be told', () => {
    const report = services('happy');
    integrationOf(report, 'glue').iam_action =
      'glue:GetGlueIdentityCenterConfiguration';
    const glue = viewsOf(report).find(view => view.id === 'glue')!;
    expect(glue.integration.iamAction).toBeNull();
  });

  it('has none when the server read no integration (outside Studio, before issue 10)', () => {
    expect(viewsOf(outsideStudio())).toEqual([]);
    expect(viewsOf(beforeIssue10(happy()))).toEqual([]);
    // EMR Serverless is not read per space: it keeps only its row.
    const report = happy();
    expect(
      report.connected_services.find(s => s.id === 'emr-serverless')
        ?.integration
    ).toBeNull();
    expect(viewsOf(report).map(view => view.id)).not.toContain(
      'emr-serverless'
    );
  });

  it('reads a server that sends no resources as none', () => {
    const report = services('happy');
    const lf = integrationOf(report, 'athena') as unknown as Record<
      string,
      unknown
    >;
    delete lf.resources;
    delete lf.truncated;
    const athena = viewsOf(report).find(view => view.id === 'athena')!;
    expect(athena.integration.resources).toEqual([]);
    expect(athena.integration.truncated).toBe(false);
  });

  it('is the same view for the same report, and another when a state changes', () => {
    const model = (report: IReport) => ({ report });
    const before = servicesView(model(services('happy')), trans);
    expect(
      sameView(before, servicesView(model(services('happy')), trans))
    ).toBe(true);
    expect(
      sameView(before, servicesView(model(services('other_instance')), trans))
    ).toBe(false);
  });
});

describe('ServiceIntegration', () => {
  const show = (report: IReport, id: string) =>
    render(
      <ServiceIntegration
        view={viewsOf(report).find(view => view.id === id)!}
        trans={trans}
      />
    );

  it('is a region named after the service, with its heading', () => {
    const report = services('happy');
    const view = show(report, 'athena');
    const section = view.container.querySelector('section')!;
    expect(section.getAttribute('aria-label')).toBe('Amazon Athena');
    expect(section.getAttribute('data-service-details')).toBe('athena');
    expect(section.querySelector('h3')?.textContent).toBe('Amazon Athena');
    // [data-service] still means the services' list only.
    expect(view.container.querySelector('[data-service]')).toBeNull();
    view.unmount();
  });

  it('shows the state’s icon and label, the server’s words and the documentation', () => {
    const report = services('happy');
    const read = integrationOf(report, 'athena');
    const view = show(report, 'athena');
    const part = view.container.querySelector('[data-part="integration"]')!;
    expect(part.getAttribute('data-state')).toBe('ready');
    expect(part.className).toContain('jp-mod-success');
    expect(part.querySelector('[role="img"]')?.getAttribute('aria-label')).toBe(
      'Ready'
    );
    expect(part.textContent).toContain(read.title);
    expect(part.textContent).toContain(read.detail);
    const link = part.querySelector('a')!;
    expect(link.getAttribute('href')).toBe(read.doc_url);
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(part.querySelector('[data-iam-action]')).toBeNull();
    view.unmount();
  });

  it('lists the resources in a captioned table, with the instance each is on', () => {
    const report = services('happy');
    integrationOf(report, 'emr-ec2').resources.push({
      kind: 'security_configuration',
      name: 'old-idc',
      identity_center_instance_arn:
        'arn:aws:sso:::instance/ssoins-99887766aabbccdd',
      state: 'other_instance'
    });
    const view = show(report, 'emr-ec2');
    const table = view.container.querySelector(
      'table[data-resources="security_configuration"]'
    )!;
    expect(table.querySelector('caption')?.textContent).toBe(
      '2 Identity Center-enabled security configurations'
    );
    expect(
      Array.from(table.querySelectorAll('thead th')).map(th => [
        th.textContent,
        th.getAttribute('scope')
      ])
    ).toEqual([
      ['Security configuration', 'col'],
      ['Identity Center instance', 'col'],
      ['State', 'col']
    ]);
    const rows = Array.from(table.querySelectorAll('tbody tr')).map(row => [
      row.getAttribute('data-state'),
      ...Array.from(row.children).map(cell => cell.textContent)
    ]);
    expect(rows).toEqual([
      ['ready', 'tip-emr-idc', 'ssoins-7223a1b2c3d4e5f6', 'Domain’s instance'],
      ['other_instance', 'old-idc', 'ssoins-99887766aabbccdd', 'Other instance']
    ]);
    expect(table.querySelector('tbody td[title]')?.getAttribute('title')).toBe(
      'arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6'
    );
    expect(view.container.querySelector('[data-truncated]')).toBeNull();
    view.unmount();
  });

  it('says when more resources exist than were read', () => {
    const report = services('happy');
    integrationOf(report, 'athena').truncated = true;
    const view = show(report, 'athena');
    expect(view.container.querySelector('[data-truncated]')?.textContent).toBe(
      'More exist than were read: the list is not complete.'
    );
    view.unmount();
  });

  it('shows the first rows of a long list until the user asks for all', () => {
    const report = services('happy');
    const redshift = integrationOf(report, 'redshift-data');
    for (let i = 0; i < 24; i++) {
      redshift.resources.push({
        kind: 'idc_application',
        name: `other-${i}`,
        identity_center_instance_arn:
          'arn:aws:sso:::instance/ssoins-99887766aabbccdd',
        state: 'other_instance'
      });
    }
    const view = show(report, 'redshift-data');
    const rows = () =>
      Array.from(view.container.querySelectorAll('tbody tr')).map(row =>
        row.getAttribute('data-resource')
      );
    expect(rows()).toHaveLength(RESOURCE_ROWS_SHOWN);
    expect(rows()[0]).toBe('redshift-idc-app');
    expect(view.container.querySelector('caption')?.textContent).toBe(
      '25 Redshift IdC applications'
    );
    const button = view.container.querySelector(
      'button.jp-TrustedIdentity-showAll'
    )!;
    expect(button.textContent).toBe(`Show ${25 - RESOURCE_ROWS_SHOWN} more`);
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(
      view.container.querySelector(
        `#${CSS.escape(button.getAttribute('aria-controls')!)}`
      )?.tagName
    ).toBe('TABLE');
    click(button);
    expect(rows()).toHaveLength(25);
    expect(rows()[24]).toBe('other-23');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(button.textContent).toBe(`Show the first ${RESOURCE_ROWS_SHOWN}`);
    click(button);
    expect(rows()).toHaveLength(RESOURCE_ROWS_SHOWN);
    view.unmount();
  });

  it('offers no button when every resource is shown', () => {
    const view = show(services('happy'), 'athena');
    expect(view.container.querySelector('tbody tr')).not.toBeNull();
    expect(view.container.querySelector('button')).toBeNull();
    view.unmount();
  });

  it('has no table for a service without resources', () => {
    const view = show(services('happy'), 'lake-formation');
    expect(view.container.querySelector('table')).toBeNull();
    expect(
      view.container
        .querySelector('[data-part="integration"]')
        ?.getAttribute('data-state')
    ).toBe('ready');
    view.unmount();
  });

  it('names the IAM action and AWS’s error when the service cannot be read', () => {
    const report = services('denied');
    const read = integrationOf(report, 'redshift-data');
    const view = show(report, 'redshift-data');
    const part = view.container.querySelector('[data-part="integration"]')!;
    expect(part.className).toContain('jp-mod-warn');
    expect(part.querySelector('[data-iam-action] code')?.textContent).toBe(
      read.iam_action
    );
    expect(part.textContent).toContain(`(AWS error ${read.error_code})`);
    expect(
      part.querySelector('.jp-TrustedIdentity-remediation')?.textContent
    ).toBe(`What to do: ${read.remediation}`);
    view.unmount();
  });
});

describe('AccessGrants with the shared integration part', () => {
  it('shows S3 Access Grants’ integration without a resources table', () => {
    const report = services('happy');
    const service = report.connected_services.find(
      s => s.id === 's3-access-grants'
    );
    const view = render(
      <AccessGrants view={accessGrantsView(service, trans)!} trans={trans} />
    );
    const part = view.container.querySelector('[data-part="integration"]')!;
    expect(part.getAttribute('data-state')).toBe('ready');
    expect(part.querySelector('table')).toBeNull();
    expect(
      view.container.querySelectorAll('[data-part="grants"] tbody tr')
    ).toHaveLength(service!.grants!.grants.length);
    expect(service!.grants!.grants.length).toBeGreaterThan(0);
    view.unmount();
  });
});
