/**
 * The plugin's settings (schema/plugin.json) as the model reads them: their
 * values, defaults and the normalization of whatever the registry holds.
 */
/**
 * The settings of the plugin (schema/plugin.json).
 */
export interface ISettingsValues {
  /**
   * Seconds between two refreshes of the reports (at least 10).
   */
  refreshInterval: number;
  /**
   * Check each kernel when it starts, restarts or changes.
   */
  checkOnKernelLaunch: boolean;
  /**
   * Notify when a kernel starts without the propagated identity.
   */
  notifyWhenNotPropagated: boolean;
  /**
   * Warn when the credentials expire within this many minutes (0: never).
   */
  expiryWarningMinutes: number;
  /**
   * Show the status bar item.
   */
  showStatusBarItem: boolean;
  /**
   * Run the boto3 probe inside Python kernels.
   */
  probeInsideKernel: boolean;
}

/**
 * The defaults of the settings (the same as the schema's).
 */
export const DEFAULT_SETTINGS: ISettingsValues = {
  refreshInterval: 60,
  checkOnKernelLaunch: true,
  notifyWhenNotPropagated: true,
  expiryWarningMinutes: 15,
  showStatusBarItem: true,
  probeInsideKernel: false
};

/**
 * The smallest refresh interval, in seconds.
 */
export const MIN_REFRESH_INTERVAL = 10;

/**
 * Read settings values, falling back to the defaults for anything missing or
 * out of range.
 */
export function normalizeSettings(
  values: Partial<Record<keyof ISettingsValues, unknown>> = {}
): ISettingsValues {
  const number = (value: unknown, fallback: number, min: number): number =>
    typeof value === 'number' && isFinite(value)
      ? Math.max(min, value)
      : fallback;
  const flag = (value: unknown, fallback: boolean): boolean =>
    typeof value === 'boolean' ? value : fallback;
  return {
    refreshInterval: number(
      values.refreshInterval,
      DEFAULT_SETTINGS.refreshInterval,
      MIN_REFRESH_INTERVAL
    ),
    checkOnKernelLaunch: flag(
      values.checkOnKernelLaunch,
      DEFAULT_SETTINGS.checkOnKernelLaunch
    ),
    notifyWhenNotPropagated: flag(
      values.notifyWhenNotPropagated,
      DEFAULT_SETTINGS.notifyWhenNotPropagated
    ),
    expiryWarningMinutes: number(
      values.expiryWarningMinutes,
      DEFAULT_SETTINGS.expiryWarningMinutes,
      0
    ),
    showStatusBarItem: flag(
      values.showStatusBarItem,
      DEFAULT_SETTINGS.showStatusBarItem
    ),
    probeInsideKernel: flag(
      values.probeInsideKernel,
      DEFAULT_SETTINGS.probeInsideKernel
    )
  };
}
