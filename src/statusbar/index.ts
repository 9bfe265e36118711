/**
 * The status bar item and its view model. Loaded at start-up with the status
 * bar plugin, so it stays small: nothing of the panel is imported here.
 */
export { IdentityStatusItem } from './item';

export { statusView } from './view';

export type { IStatusView, StatusModel } from './view';
