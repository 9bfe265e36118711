/**
 * What a report body must hold to be shown, and which of two reports of a
 * kernel is the newer: the checks the model applies to what the server sends.
 */
import { IReport } from '../types';

/**
 * Whether a body looks like a report of REST schema 1.
 */
export function isReport(value: unknown): value is IReport {
  const report = value as Partial<IReport> | null;
  return (
    !!report &&
    typeof report === 'object' &&
    typeof report.verdict === 'string' &&
    !!report.scope &&
    typeof report.scope === 'object' &&
    Array.isArray(report.checks) &&
    !!report.user &&
    !!report.credentials
  );
}

/**
 * Throw unless a body looks like a report.
 */
export function assertReport(value: unknown): asserts value is IReport {
  if (!isReport(value)) {
    throw new Error(
      'The server extension answered with something that is not a report.'
    );
  }
}

/**
 * Whether `report` is not older than `previous`: by the server's launch count
 * (`scope.launch`), then by time.
 */
export function newerOrSame(
  report: IReport,
  previous: IReport | null
): boolean {
  if (!previous) {
    return true;
  }
  const launch = report.scope.launch;
  const previousLaunch = previous.scope.launch;
  if (
    typeof launch === 'number' &&
    typeof previousLaunch === 'number' &&
    launch !== previousLaunch
  ) {
    return launch > previousLaunch;
  }
  const launched = Date.parse(report.scope.launched_at ?? '') || 0;
  const previousLaunched = Date.parse(previous.scope.launched_at ?? '') || 0;
  if (launched !== previousLaunched) {
    return launched > previousLaunched;
  }
  const generated = Date.parse(report.generated_at) || 0;
  const previousGenerated = Date.parse(previous.generated_at) || 0;
  return generated >= previousGenerated;
}
