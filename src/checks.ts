/**
 * How the panel orders a report's checks. Only presentation: the server
 * decides each check's status and which check explains the verdict
 * (`report.cause`, see verdict.ts's causeOf); the frontend sorts what it
 * shows so that what failed comes first.
 */
import { CheckGroup, CheckStatus, ICheck } from './types';

/**
 * The order of check statuses: failed and unknown first.
 */
const STATUS_RANK: Readonly<Record<CheckStatus, number>> = {
  fail: 0,
  unknown: 1,
  warn: 2,
  pass: 3,
  skip: 4
};

/**
 * The canonical order of the check groups.
 */
export const GROUP_ORDER: ReadonlyArray<CheckGroup> = [
  'evidence',
  'credentials',
  'kernel',
  'studio',
  'identity',
  'services',
  'audit'
];

/**
 * The checks of one group, in the order shown, and its worst status.
 */
export interface ICheckGroupView {
  group: string;
  checks: ICheck[];
  worst: CheckStatus;
}

/**
 * The group of a check: its `group`, else the prefix of its id (`group` is
 * optional in the contract).
 */
export function checkGroup(check: ICheck): string {
  return check.group || check.id.split('.', 1)[0];
}

/**
 * The rank of a status (lower is shown first; an unknown status last).
 */
export function statusRank(status: CheckStatus): number {
  return STATUS_RANK[status] ?? 5;
}

/**
 * Checks grouped by group, failed and unknown first: within a group by
 * status (required first on ties), and groups by their worst status, then in
 * the canonical order.
 */
export function groupChecks(checks: ReadonlyArray<ICheck>): ICheckGroupView[] {
  const groups = new Map<string, ICheck[]>();
  for (const check of checks) {
    const group = checkGroup(check);
    if (!groups.has(group)) {
      groups.set(group, []);
    }
    groups.get(group)!.push(check);
  }
  const canonical = (group: string) => {
    const index = GROUP_ORDER.indexOf(group as CheckGroup);
    return index < 0 ? GROUP_ORDER.length : index;
  };
  const result = Array.from(groups.entries()).map(([group, items]) => {
    const sorted = items
      .map((check, index) => ({ check, index }))
      .sort(
        (a, b) =>
          statusRank(a.check.status) - statusRank(b.check.status) ||
          Number(b.check.required) - Number(a.check.required) ||
          a.index - b.index
      )
      .map(item => item.check);
    return { group, checks: sorted, worst: sorted[0].status };
  });
  return result.sort(
    (a, b) =>
      Math.min(statusRank(a.worst), 2) - Math.min(statusRank(b.worst), 2) ||
      canonical(a.group) - canonical(b.group)
  );
}
