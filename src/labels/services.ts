/**
 * The labels and tones of the connected services' values: the state of a
 * service's IAM Identity Center integration and of its Identity
 * Center-enabled resources, the kinds of those resources, the state of the
 * S3 Access Grants grants that apply to the user, and of an access test. The panel's only: the
 * sentences about each state (title, detail, remediation) are the server's.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { Tone } from '../tones';

import {
  AccessPermission,
  AccessTestStatus,
  GranteeType,
  IIntegrationResource,
  IntegrationResourceKind,
  IServiceGrants,
  IServiceIntegration
} from '../types';

/**
 * The state of a service's IAM Identity Center integration.
 */
export type IntegrationState = IServiceIntegration['state'];

/**
 * The state of one Identity Center-enabled resource of a service: on the
 * domain's instance or on another.
 */
export type ResourceState = IIntegrationResource['state'];

/**
 * The state of the grants that apply to the user.
 */
export type GrantsState = IServiceGrants['state'];

/**
 * The tone of each integration state: a service the role may not describe
 * is a warning, never an error (the verdict does not depend on it).
 */
export const INTEGRATION_TONES: Readonly<Record<IntegrationState, Tone>> = {
  ready: 'success',
  not_configured: 'error',
  other_instance: 'error',
  unknown: 'warn'
};

/**
 * The tone of each resource state: a resource on another instance is a
 * warning (the service may have others on the domain's; the integration's
 * own state says whether it does).
 */
export const RESOURCE_TONES: Readonly<Record<ResourceState, Tone>> = {
  ready: 'success',
  other_instance: 'warn'
};

/**
 * The tone of each grants state.
 */
export const GRANTS_TONES: Readonly<Record<GrantsState, Tone>> = {
  listed: 'success',
  none: 'warn',
  unknown: 'warn'
};

/**
 * The tone of each access test status.
 */
export const ACCESS_TEST_TONES: Readonly<Record<AccessTestStatus, Tone>> = {
  allowed: 'success',
  denied: 'error',
  unknown: 'warn'
};

/**
 * The label of each integration state (also its icon's text alternative).
 */
export function integrationLabels(
  trans: TranslationBundle
): Record<IntegrationState, string> {
  return {
    ready: trans.__('Ready'),
    not_configured: trans.__('Not configured'),
    other_instance: trans.__('Other Identity Center instance'),
    unknown: trans.__('Cannot tell')
  };
}

/**
 * The label of each resource state (also its icon's text alternative).
 */
export function resourceStateLabels(
  trans: TranslationBundle
): Record<ResourceState, string> {
  return {
    ready: trans.__('Domain’s instance'),
    other_instance: trans.__('Other instance')
  };
}

/**
 * What the panel calls one resource of each kind: the heading of the
 * resources' name column.
 */
export function resourceKindLabels(
  trans: TranslationBundle
): Record<IntegrationResourceKind, string> {
  return {
    workgroup: trans.__('Workgroup'),
    idc_application: trans.__('Identity Center application'),
    security_configuration: trans.__('Security configuration')
  };
}

/**
 * The caption of a table of resources of each kind, with their number.
 */
export function resourceCountLabels(
  trans: TranslationBundle
): Record<IntegrationResourceKind, (count: number) => string> {
  return {
    workgroup: count =>
      trans._n(
        '%1 Identity Center-enabled workgroup',
        '%1 Identity Center-enabled workgroups',
        count
      ),
    idc_application: count =>
      trans._n(
        '%1 Redshift IdC application',
        '%1 Redshift IdC applications',
        count
      ),
    security_configuration: count =>
      trans._n(
        '%1 Identity Center-enabled security configuration',
        '%1 Identity Center-enabled security configurations',
        count
      )
  };
}

/**
 * The label of each grants state.
 */
export function grantsLabels(
  trans: TranslationBundle
): Record<GrantsState, string> {
  return {
    listed: trans.__('Grants listed'),
    none: trans.__('No grant'),
    unknown: trans.__('Cannot tell')
  };
}

/**
 * The label of each access test status.
 */
export function accessTestLabels(
  trans: TranslationBundle
): Record<AccessTestStatus, string> {
  return {
    allowed: trans.__('Allowed'),
    denied: trans.__('Denied'),
    unknown: trans.__('Cannot tell')
  };
}

/**
 * The label of each permission an access test asks for.
 */
export function permissionLabels(
  trans: TranslationBundle
): Record<AccessPermission, string> {
  return {
    READ: trans.__('Read'),
    WRITE: trans.__('Write'),
    READWRITE: trans.__('Read and write')
  };
}

/**
 * The label of each kind of grantee.
 */
export function granteeLabels(
  trans: TranslationBundle
): Record<GranteeType, string> {
  return {
    DIRECTORY_USER: trans.__('Identity Center user'),
    DIRECTORY_GROUP: trans.__('Identity Center group'),
    IAM: trans.__('IAM principal')
  };
}

/**
 * The permissions an access test offers, in the order of the select.
 */
export const ACCESS_PERMISSIONS: ReadonlyArray<AccessPermission> = [
  'READ',
  'WRITE',
  'READWRITE'
];
