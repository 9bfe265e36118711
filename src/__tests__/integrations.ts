/**
 * Reports whose connected services carry the IAM Identity Center integration
 * of Athena, Lake Formation, Redshift, Glue and EMR on EC2, in the shape of
 * the CONTRACT (docs/rest-api.yml, ServiceIntegration), built on a real
 * report until the server's own are captured.
 */
import type {
  IIntegrationResource,
  IReport,
  IServiceIntegration
} from '../types';

import { accessGrants } from './reports';

const DOMAIN = 'arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6';
const OTHER = 'arn:aws:sso:::instance/ssoins-99887766aabbccdd';

function integration(
  fields: Partial<IServiceIntegration> & Pick<IServiceIntegration, 'state'>
): IServiceIntegration {
  return {
    title: `${fields.state} title`,
    detail: `${fields.state} detail`,
    remediation: null,
    doc_url: 'https://docs.aws.amazon.com/example.html',
    iam_action: null,
    error_code: null,
    instance_arn: null,
    identity_center_instance_arn: null,
    expected_identity_center_instance_arn: DOMAIN,
    application_arn: null,
    resources: [],
    truncated: false,
    ...fields
  };
}

function resource(
  kind: IIntegrationResource['kind'],
  name: string,
  instance: string
): IIntegrationResource {
  return {
    kind,
    name,
    identity_center_instance_arn: instance,
    state: instance === DOMAIN ? 'ready' : 'other_instance'
  };
}

/**
 * A report where every service is on the domain's instance (`happy`), on
 * another (`other_instance`), or where the role may not describe them
 * (`denied`).
 */
export function integrated(
  scenario: 'happy' | 'other_instance' | 'denied'
): IReport {
  const report = accessGrants('user_and_group');
  const on = scenario === 'other_instance' ? OTHER : DOMAIN;
  const denied: [string, string][] = [
    ['athena', 'athena:ListWorkGroups'],
    [
      'lake-formation',
      'lakeformation:DescribeLakeFormationIdentityCenterConfiguration'
    ],
    ['redshift-data', 'redshift:DescribeRedshiftIdcApplications'],
    ['glue', 'glue:GetGlueIdentityCenterConfiguration'],
    ['emr-ec2', 'elasticmapreduce:ListSecurityConfigurations']
  ];
  const application = (name: string) =>
    `arn:aws:sso::111122223333:application/${on.split('/')[1]}/${name}`;
  const byId: Record<string, IServiceIntegration> = {};
  if (scenario === 'denied') {
    for (const [id, action] of denied) {
      byId[id] = integration({
        state: 'unknown',
        iam_action: action,
        error_code: 'AccessDeniedException',
        remediation: `Allow ${action}.`
      });
    }
  } else {
    const state = scenario === 'happy' ? 'ready' : scenario;
    byId.athena = integration({
      state,
      identity_center_instance_arn: on,
      resources: [resource('workgroup', 'tip-analysts', on)]
    });
    byId['lake-formation'] = integration({
      state,
      identity_center_instance_arn: on,
      application_arn: application('apl-lf')
    });
    byId['redshift-data'] = integration({
      state,
      identity_center_instance_arn: on,
      resources: [resource('idc_application', 'redshift-idc-app', on)]
    });
    byId.glue = integration({
      state,
      identity_center_instance_arn: on,
      application_arn: application('apl-glue')
    });
    byId['emr-ec2'] = integration({
      state,
      identity_center_instance_arn: on,
      resources: [resource('security_configuration', 'tip-emr-idc', on)]
    });
  }
  for (const service of report.connected_services) {
    if (service.integration) {
      service.integration = {
        ...service.integration,
        application_arn: null,
        resources: [],
        truncated: false
      };
    }
    if (byId[service.id]) {
      service.integration = byId[service.id];
    }
  }
  return report;
}
