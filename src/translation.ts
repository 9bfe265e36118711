/**
 * The extension's translation domain, and the bundle its pure helpers use
 * when no translator is given (tests, other extensions).
 */
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';

/**
 * The translation domain of the extension.
 */
export const TRANSLATION_DOMAIN = 'jupyterlab_trusted_identity';

/**
 * The bundle used when no translator is given.
 */
export function defaultTrans(): TranslationBundle {
  return nullTranslator.load(TRANSLATION_DOMAIN);
}
