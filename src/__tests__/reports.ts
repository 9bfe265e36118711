/**
 * Real reports of the server extension against the Studio emulator
 * (data/*.json, captured by scripts/capture_reports.py), and variants of them.
 */
import { IAccessTestResult, IReport } from '../types';

import happyJson from './data/server-happy.json';
import sharedSpaceJson from './data/server-shared-space.json';
import noCredentialsJson from './data/server-no-credentials.json';
import outsideStudioJson from './data/server-outside-studio.json';
import awsProfileKernelJson from './data/kernel-aws-profile.json';
import describeSpaceDeniedJson from './data/server-describe-space-denied.json';
import tipReadMissingJson from './data/server-tip-read-missing.json';
import granteeProofJson from './data/server-grantee-proof.json';
import stsThrottledJson from './data/server-sts-throttled.json';
import agUserAndGroupJson from './data/server-access-grants-user-and-group.json';
import agNoGrantJson from './data/server-access-grants-no-grant.json';
import agOtherInstanceJson from './data/server-access-grants-other-instance.json';
import agNoInstanceJson from './data/server-access-grants-no-instance.json';
import agDeniedJson from './data/server-access-grants-denied.json';
import servicesNotConfiguredJson from './data/server-services-not-configured.json';
import servicesOtherInstanceJson from './data/server-services-other-instance.json';
import servicesDeniedJson from './data/server-services-denied.json';
import accessTestAllowedJson from './data/access-test-allowed.json';
import accessTestGroupJson from './data/access-test-group.json';
import accessTestDeniedJson from './data/access-test-denied.json';
import accessTestUnknownJson from './data/access-test-unknown.json';

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The server report of the `happy` scenario: propagated, Jane Doe verified
 * by CloudTrail.
 */
export function happy(): IReport {
  return clone(happyJson) as unknown as IReport;
}

/**
 * The server report of `shared_space`: not propagated, the user from the
 * profile.
 */
export function sharedSpace(): IReport {
  return clone(sharedSpaceJson) as unknown as IReport;
}

/**
 * The server report without credentials.
 */
export function noCredentials(): IReport {
  return clone(noCredentialsJson) as unknown as IReport;
}

/**
 * The server report outside Studio.
 */
export function outsideStudio(): IReport {
  return clone(outsideStudioJson) as unknown as IReport;
}

/**
 * A kernel report: a kernelspec with AWS_PROFILE, not propagated.
 */
export function awsProfileKernel(kernelId?: string): IReport {
  const report = clone(awsProfileKernelJson) as unknown as IReport;
  if (kernelId) {
    report.scope.kernel_id = kernelId;
  }
  return report;
}

/**
 * A propagated kernel report of a kernel.
 */
export function happyKernel(
  kernelId: string,
  overrides: Partial<IReport['scope']> = {}
): IReport {
  const report = happy();
  report.scope = {
    kind: 'kernel',
    kernel_id: kernelId,
    kernel_name: 'python3',
    session_path: 'Untitled.ipynb',
    launched_at: report.generated_at,
    environment_source: 'process',
    ...overrides
  };
  return report;
}

/**
 * The server report of `describe_space_denied`: DescribeSpace is denied, but
 * CloudTrail proves the session acts for Jane Doe, so the proof settles the
 * space's checks (warn) and the verdict is propagated.
 */
export function describeSpaceDenied(): IReport {
  return clone(describeSpaceDeniedJson) as unknown as IReport;
}

/**
 * The server report of `tip_read_missing` (what botocore 1.37 shows of a happy
 * space): DescribeDomain and DescribeApp lack the TIP fields while CloudTrail
 * verifies Jane Doe; the verdict follows the proof and the contradiction is
 * the cause (`evidence.consistent`).
 */
export function tipReadMissing(): IReport {
  return clone(tipReadMissingJson) as unknown as IReport;
}

/**
 * The server report of `tip_read_missing_ct_pending` after a Test access
 * whose grantee is Jane Doe: S3 Access Grants' proof outranks the domain
 * read before CloudTrail delivers.
 */
export function granteeProof(): IReport {
  return clone(granteeProofJson) as unknown as IReport;
}

/**
 * The server report of `sts_throttled`: STS cannot validate the credentials,
 * which no proof settles, so the verdict is unknown.
 */
export function stsThrottled(): IReport {
  return clone(stsThrottledJson) as unknown as IReport;
}

/**
 * The server reports of the emulator's S3 Access Grants scenarios (all
 * propagated): `user_and_group` (the integration ready, the user's and a
 * group's grants listed), `no_grant`, `other_instance` (S3 Access Grants on
 * another IAM Identity Center instance), `no_instance`, `denied` (the role
 * may not read S3 Access Grants: unknown).
 */
export const ACCESS_GRANTS_SCENARIOS = {
  user_and_group: agUserAndGroupJson,
  no_grant: agNoGrantJson,
  other_instance: agOtherInstanceJson,
  no_instance: agNoInstanceJson,
  denied: agDeniedJson
};

/**
 * The server report of one of the S3 Access Grants scenarios.
 */
export function accessGrants(
  scenario: keyof typeof ACCESS_GRANTS_SCENARIOS
): IReport {
  return clone(ACCESS_GRANTS_SCENARIOS[scenario]) as unknown as IReport;
}

/**
 * The server reports of the emulator's scenarios for the IAM Identity Center
 * integration of Athena, Lake Formation, Redshift, Glue and EMR on EC2:
 * `happy` (each on the domain's instance: the Athena workgroup
 * tip-analysts, the Redshift IdC application redshift-idc-app, the EMR
 * security configuration tip-emr-idc), `not_configured` (none),
 * `other_instance` (each on another Identity Center instance), `denied` (the
 * role may describe none of them: unknown). S3 Access Grants is ready in
 * each.
 */
export const SERVICES_SCENARIOS = {
  happy: happyJson,
  not_configured: servicesNotConfiguredJson,
  other_instance: servicesOtherInstanceJson,
  denied: servicesDeniedJson
};

/**
 * The server report of one of the services' scenarios.
 */
export function services(scenario: keyof typeof SERVICES_SCENARIOS): IReport {
  return clone(SERVICES_SCENARIOS[scenario]) as unknown as IReport;
}

/**
 * A report as a server before issue 10 sends it: its connected services
 * have neither integration nor grants.
 */
export function beforeIssue10(report: IReport): IReport {
  for (const service of report.connected_services) {
    delete service.integration;
    delete service.grants;
  }
  return report;
}

/**
 * Real answers of the engine's access test against the emulator's
 * `access_grants_user_and_group` scenario (`allowed`: jdoe's own grant on
 * users/jdoe/*; `group`: a group's grant on projects/churn/*; `denied`: no
 * grant on finance/) and `access_grants_denied` (`unknown`: the role may not
 * call s3:GetDataAccess).
 */
export const ACCESS_TEST_ANSWERS = {
  allowed: accessTestAllowedJson,
  group: accessTestGroupJson,
  denied: accessTestDeniedJson,
  unknown: accessTestUnknownJson
};

/**
 * One of the real answers of the access test.
 */
export function accessTestAnswer(
  name: keyof typeof ACCESS_TEST_ANSWERS
): IAccessTestResult {
  return clone(ACCESS_TEST_ANSWERS[name]) as unknown as IAccessTestResult;
}

/**
 * The happy report whose user comes from the profile (CloudTrail pending).
 */
export function profileOnly(): IReport {
  const report = happy();
  report.user.provenance = 'profile';
  report.verification = { status: 'pending' };
  for (const check of report.checks) {
    if (check.id === 'identity.verified') {
      check.status = 'warn';
      check.detail =
        'CloudTrail has not delivered the events of this session yet.';
    }
  }
  return report;
}

/**
 * A report as the server answers an explicit check that came too fast:
 * served from what is known; an explicit check asks AWS again in `seconds`.
 */
export function rateLimited(report: IReport, seconds: number | null): IReport {
  report.budget = {
    explicit_check: 'rate_limited',
    retry_after_seconds: seconds,
    throttled: report.budget?.throttled ?? [],
    facts_kept: report.budget?.facts_kept ?? 'app_lifetime'
  };
  return report;
}

/**
 * Every string of a report that must never appear in the UI: none here (the
 * server sends no secret); tests look for these patterns instead.
 */
export const SECRET_PATTERNS = [
  /aws_secret_access_key/i,
  /SecretAccessKey/,
  /SessionToken/,
  /ASIA[A-Z0-9]{16}/,
  /AKIA[A-Z0-9]{16}/
];
