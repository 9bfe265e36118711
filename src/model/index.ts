/**
 * The model, split by concern: settings, request errors, report checks and
 * the report store. Importing `./model` keeps working for every module.
 */
export * from './errors';
export * from './model';
export * from './reports';
export * from './settings';
