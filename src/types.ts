/**
 * Types of the REST contract of the server extension (shared/API.md,
 * docs/rest-api.yml). Field names mirror the JSON; unknown values are `null`.
 */

/**
 * The verdict of a report.
 */
export type Verdict =
  | 'propagated'
  | 'not_propagated'
  | 'unknown'
  | 'no_credentials'
  | 'invalid_credentials'
  | 'outside_studio';

/**
 * The status of one check.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown' | 'skip';

/**
 * The group of a check (the prefix of its id).
 */
export type CheckGroup =
  | 'evidence'
  | 'credentials'
  | 'studio'
  | 'identity'
  | 'services'
  | 'kernel'
  | 'audit';

/**
 * The rank of the evidence a check rests on (highest first): first-hand
 * proof of whom the session acts for, botocore's credentials, AWS
 * configuration reads, the image's local hints.
 */
export type EvidenceTier = 'proof' | 'credentials' | 'configuration' | 'local';

/**
 * Where the user of a report comes from.
 *
 * - `cloudtrail`: CloudTrail attributes the session's calls to this user.
 * - `profile`: the space owner's user profile names this user (not verified).
 * - `none`: unknown.
 */
export type Provenance = 'cloudtrail' | 'profile' | 'none';

/**
 * The scope of a report: the server, or one kernel.
 */
export interface IReportScope {
  kind: 'server' | 'kernel';
  kernel_id?: string;
  kernel_name?: string | null;
  session_path?: string | null;
  launched_at?: string | null;
  /**
   * Starts and restarts of this kernel seen by the server (1 for the first
   * start): the one launch count of a kernel.
   */
  launch?: number | null;
  environment_source?: 'process' | 'kernelspec' | string;
}

/**
 * The Identity Center user of a report.
 */
export interface IReportUser {
  user_id: string | null;
  user_name: string | null;
  display_name: string | null;
  email: string | null;
  identity_store_arn: string | null;
  /**
   * The identity store ARN's id (`d-...`), derived by the server.
   */
  identity_store_id: string | null;
  /**
   * The name to show for the user, chosen by the server (the panel, the
   * banner).
   */
  shown_name: string | null;
  /**
   * The short name of the user (the status bar), chosen by the server.
   */
  short_name: string | null;
  provenance: Provenance;
  /**
   * The IAM action of the first-hand proof that the session acts for this
   * user (`cloudtrail:LookupEvents`, or `s3:GetDataAccess` when a Test
   * access's grantee is the user); `null` while only configuration names them.
   * Absent from servers before it.
   */
  proven_by?: string | null;
}

/**
 * The IAM role session of a report.
 */
export interface IReportRole {
  caller_arn: string | null;
  account: string | null;
  role_arn: string | null;
  /**
   * The carrier role's name, parsed from its ARN by the server.
   */
  role_name: string | null;
  /**
   * The execution role's name, parsed from its ARN by the server.
   */
  execution_role_name: string | null;
  session_name: string | null;
  execution_role_arn: string | null;
  sources?: Record<string, string>;
}

/**
 * The AWS credentials of a report (never a secret; the key id is masked).
 */
export interface IReportCredentials {
  source: string | null;
  access_key_id: string | null;
  expires_at: string | null;
  overridden_by: string[];
  /**
   * Variables set, but without effect on what botocore resolves.
   */
  ignored_variables?: string[];
  resolved_at?: string | null;
  problem?: 'no_credentials' | 'expired' | 'error' | null;
  detail?: string | null;
}

/**
 * Facts of the Studio domain, space and app.
 */
export interface IReportStudio {
  domain_id: string | null;
  domain_name?: string | null;
  space_name: string | null;
  user_profile_name: string | null;
  /**
   * The space owner's user profile (DescribeSpace).
   */
  owner_user_profile_name?: string | null;
  /**
   * The profile's IAM Identity Center user name (SingleSignOnUserValue).
   */
  sso_user_value?: string | null;
  /**
   * The identity store of the domain's Identity Center application (d-...).
   */
  identity_store_id?: string | null;
  /**
   * The image's own TIP hint variable: a local hint only.
   */
  tip_image_flag?: string | null;
  /**
   * The SageMaker Unified Studio (DataZone) project of the space.
   */
  datazone_project_id?: string | null;
  app_type: string | null;
  app_name?: string | null;
  region: string | null;
  region_supported: boolean | null;
  auth_mode: string | null;
  sharing_type: string | null;
  remote_access: string | null;
  tip_domain: string | null;
  tip_app: string | null;
  detected?: boolean;
  /**
   * A SageMaker Unified Studio space (DataZone metadata).
   */
  unified_studio?: boolean;
  /**
   * The calls that established the identity store.
   */
  identity_store_path?: string[];
  /**
   * The Regions the IAM Identity Center instance serves, when read.
   */
  identity_center_regions?: string[] | null;
  sources?: Record<string, string>;
  /**
   * Facts whose field the AWS answer lacked, in the API's words.
   */
  missing?: Record<string, string>;
}

/**
 * What CloudTrail says about the session.
 */
export interface IReportVerification {
  status:
    | 'verified'
    | 'mismatch'
    | 'absent'
    | 'pending'
    | 'inconclusive'
    | 'unavailable';
  user_id?: string | null;
  identity_store_arn?: string | null;
  event_name?: string | null;
  event_source?: string | null;
  event_time?: string | null;
  /**
   * CloudTrail's EventId of the event that decided.
   */
  event_id?: string | null;
  /**
   * Events of this session the last lookup read, and their sources.
   */
  events_seen?: number;
  sources_seen?: string[];
  expected_user_id?: string | null;
  expected_identity_store_arn?: string | null;
  detail?: string | null;
  /**
   * When CloudTrail was last asked (ISO time), or `null`.
   */
  looked_up_at?: string | null;
  /**
   * When CloudTrail is asked next (ISO time), or `null` when no lookup is
   * scheduled: a decisive answer (verified, mismatch, absent) is kept for the
   * app session.
   */
  next_lookup_at?: string | null;
}

/**
 * What became of an explicit check (`POST .../check`, `?refresh=1`):
 *
 * - `performed`: AWS was asked.
 * - `rate_limited`: explicit checks came too fast; the report is served from
 *   what is already known (the credentials re-read locally).
 * - `null`: not an explicit check.
 */
export type ExplicitCheck = 'performed' | 'rate_limited';

/**
 * How the report was asked of AWS: the extension's call budget of the space.
 */
export interface IReportBudget {
  explicit_check: ExplicitCheck | null;
  /**
   * After a rate-limited check: in how many seconds an explicit check asks
   * AWS again; else `null`.
   */
  retry_after_seconds: number | null;
  /**
   * IAM actions AWS answered with a throttling error recently (the extension
   * asks less often meanwhile).
   */
  throttled: string[];
  /**
   * How long Studio's facts (domain, space, app, profile, user) are kept:
   * once per app start, or for the administrator's `cache_ttl`.
   */
  facts_kept: 'app_lifetime' | 'cache_ttl';
}

/**
 * One check of a report.
 */
export interface ICheck {
  id: string;
  status: CheckStatus;
  required: boolean;
  group?: CheckGroup | string;
  title: string;
  detail: string;
  remediation: string;
  doc_url: string;
  iam_action?: string | null;
  error_code?: string | null;
  /**
   * The rank of the evidence the check rests on.
   */
  evidence?: EvidenceTier | null;
  /**
   * Set when first-hand proof outranked what the check read: the proof's
   * source (`cloudtrail:LookupEvents`), and the status of the reading alone.
   */
  settled_by?: string | null;
  read_status?: CheckStatus | null;
  /**
   * `evidence.consistent`: the checks whose readings contradict the proof.
   */
  contradictions?: string[];
}

/**
 * One rank of the evidence, highest first.
 */
export interface IEvidenceRank {
  tier: EvidenceTier;
  description: string;
}

/**
 * CloudTrail's first-hand proof of whom the session acts for.
 */
export interface IEvidenceProof {
  source: string;
  status: 'verified' | 'mismatch' | 'absent';
  user_id: string | null;
  identity_store_arn?: string | null;
  event_name: string | null;
  event_source?: string | null;
  event_time: string | null;
  // The rest of the verification's fields (IReportVerification).
  event_id?: string | null;
  events_seen?: number;
  sources_seen?: string[];
  expected_user_id?: string | null;
  expected_identity_store_arn?: string | null;
  detail?: string | null;
  looked_up_at?: string | null;
  next_lookup_at?: string | null;
}

/**
 * A check whose reading the proof contradicts.
 */
export interface IEvidenceContradiction {
  check: string;
  read_status: CheckStatus;
  likely_causes: string[];
}

/**
 * How the report weighed its evidence.
 */
export interface IReportEvidence {
  ranking: IEvidenceRank[];
  proof: IEvidenceProof | null;
  contradictions: IEvidenceContradiction[];
}

/**
 * A connected service's IAM Identity Center integration, as the space reads
 * it (the words are the server's).
 */
export interface IServiceIntegration {
  state: 'ready' | 'not_configured' | 'other_instance' | 'unknown';
  title: string;
  detail: string;
  remediation: string | null;
  doc_url: string;
  iam_action: string | null;
  error_code: string | null;
  instance_arn: string | null;
  identity_center_instance_arn: string | null;
  expected_identity_center_instance_arn: string | null;
  /**
   * The service's own IAM Identity Center application (Lake Formation,
   * Glue), where it has one.
   */
  application_arn: string | null;
  /**
   * The Identity Center-enabled resources the service holds (Athena
   * workgroups, Redshift IdC applications, EMR security configurations),
   * those on the domain's instance first; `[]` for the others.
   */
  resources: IIntegrationResource[];
  /**
   * More resources were listed than the engine reads.
   */
  truncated: boolean;
}

/**
 * The kind of an Identity Center-enabled resource of a service.
 */
export type IntegrationResourceKind =
  'workgroup' | 'idc_application' | 'security_configuration';

/**
 * One Identity Center-enabled resource of a service: an Athena workgroup, a
 * Redshift IdC application, an EMR security configuration.
 */
export interface IIntegrationResource {
  kind: IntegrationResourceKind;
  name: string;
  identity_center_instance_arn: string | null;
  state: 'ready' | 'other_instance';
}

/**
 * One S3 Access Grants grant that applies to the caller.
 */
export interface IAccessGrant {
  scope: string;
  permission: string;
  application_arn: string | null;
  instance_arn: string | null;
}

/**
 * The S3 Access Grants grants that apply to the caller.
 */
export interface IServiceGrants {
  state: 'listed' | 'none' | 'unknown';
  grants: IAccessGrant[];
  count: number | null;
  truncated: boolean;
  title: string;
  detail: string;
  remediation: string | null;
  doc_url: string;
  iam_action: string | null;
  error_code: string | null;
}

/**
 * An identity-aware downstream service.
 */
export interface IConnectedService {
  id: string;
  name: string;
  ready: boolean | null;
  detail: string;
  // Absent from servers before issue 10.
  integration?: IServiceIntegration | null;
  grants?: IServiceGrants | null;
}

/**
 * The permission an access test asks S3 Access Grants for.
 */
export type AccessPermission = 'READ' | 'WRITE' | 'READWRITE';

/**
 * What S3 Access Grants answered an access test: `allowed` (a grant
 * matched), `denied` (none did), `unknown` (the call failed; `iam_action`
 * names it).
 */
export type AccessTestStatus = 'allowed' | 'denied' | 'unknown';

/**
 * The kind of grantee of the grant that matched an access test.
 */
export type GranteeType = 'DIRECTORY_USER' | 'DIRECTORY_GROUP' | 'IAM';

/**
 * The grantee of the grant that matched an access test.
 */
export interface IAccessTestGrantee {
  type: GranteeType;
  identifier: string;
}

/**
 * The answer of `POST trusted-identity/access-test` (s3:GetDataAccess for an
 * S3 URI and a permission; the vended credentials never leave the server).
 */
export interface IAccessTestResult {
  target: string;
  permission: AccessPermission;
  status: AccessTestStatus;
  matched_grant_target: string | null;
  grantee: IAccessTestGrantee | null;
  /**
   * Whether the grantee is the space's expected user (first-hand proof of
   * propagation); `null` when it cannot be told.
   */
  grantee_is_expected_user: boolean | null;
  title: string;
  detail: string;
  /**
   * What to do; empty when there is nothing to do.
   */
  remediation: string;
  iam_action: string | null;
  error_code: string | null;
  doc_url: string;
  checked_at: string;
}

/**
 * A report of the server or of one kernel.
 */
export interface IReport {
  schema_version: number;
  generated_at: string;
  scope: IReportScope;
  verdict: Verdict;
  summary: string;
  user: IReportUser;
  role: IReportRole;
  credentials: IReportCredentials;
  studio: IReportStudio;
  verification: IReportVerification;
  /**
   * The id of the check that explains the verdict (chosen by the server).
   */
  cause?: string | null;
  evidence?: IReportEvidence;
  checks: ICheck[];
  connected_services: IConnectedService[];
  /**
   * How the report was asked of AWS.
   */
  budget?: IReportBudget;
  complete?: boolean;
  duration_ms?: number;
}

/**
 * The answer of `GET trusted-identity/kernels`.
 */
export interface IKernelsReply {
  kernels: IReport[];
}

/**
 * One audit record.
 */
export interface IAuditRecord {
  at: string;
  event: 'kernel_started' | 'kernel_restarted' | 'checked' | 'access_tested';
  kernel_id: string | null;
  kernel_name: string | null;
  session_path: string | null;
  verdict: Verdict | null;
  user_id: string | null;
  user_name: string | null;
  caller_arn: string | null;
  access_key_id: string | null;
  credential_source: string | null;
  // An access test's (`access_tested`) only; else null.
  access_target: string | null;
  access_permission: AccessPermission | null;
  access_status: AccessTestStatus | null;
  grantee_type: GranteeType | null;
}

/**
 * What the optional probe inside a kernel found (see probe.ts).
 *
 * - `ok`: boto3 in the kernel resolves credentials (`method`, masked
 *   `access_key_id`) and STS named the caller (`caller_arn`, or `error`).
 * - `no-credentials`: boto3 resolves no credentials.
 * - `boto3-missing`: boto3 cannot be imported in the kernel.
 * - `unsupported-language`: not a Python kernel; nothing was executed.
 * - `error`: the probe could not run or its answer could not be read.
 */
export interface IProbeResult {
  status:
    | 'ok'
    | 'no-credentials'
    | 'boto3-missing'
    | 'unsupported-language'
    | 'error';
  language?: string | null;
  method?: string | null;
  access_key_id?: string | null;
  caller_arn?: string | null;
  error?: string | null;
  at: string;
}
