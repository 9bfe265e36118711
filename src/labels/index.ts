/**
 * The frontend's own labels of the report's values, as maps from every
 * value of a type to its words: the compiler refuses a map that misses a
 * case, so a new verdict, status, group, provenance or evidence tier cannot
 * be shown without a label. Each map is built with the translation bundle;
 * the single-value helpers add what is shown for a value this frontend does
 * not know (a newer server) or for no value yet.
 *
 * What the server words itself (each check's title, detail and remediation,
 * the report's summary) is shown as sent and has no label here.
 *
 * One module per subject, so that start-up (the status bar item) loads only
 * the verdicts' labels (./verdicts); the panel takes them all from here.
 */
export * from './checks';

export * from './identity';

export * from './probe';

export * from './services';

export * from './verdicts';
