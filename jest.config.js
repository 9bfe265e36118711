const jestJupyterLab = require('@jupyterlab/testing/lib/jest-config');

// ES modules in node_modules that jest must transform (JupyterLab's list,
// plus '@jupyterlab/'): @jupyterlab/ui-components needs the @jupyter/*
// web and React components.
const esModules = [
  '@codemirror',
  '@jupyter/react-components',
  '@jupyter/web-components',
  '@jupyter/ydoc',
  '@jupyterlab/',
  '@marijn',
  '@microsoft',
  'color',
  'exenv-es6',
  'lib0',
  'marked',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

const baseConfig = jestJupyterLab(__dirname);

module.exports = {
  ...baseConfig,
  automock: false,
  collectCoverageFrom: [
    'src/**/*.{ts,tsx}',
    '!src/**/*.d.ts',
    '!src/**/.ipynb_checkpoints/*',
    '!src/__tests__/**'
  ],
  coverageReporters: ['lcov', 'text'],
  reporters: ['default'],
  // The built labextension carries a copy of package.json.
  modulePathIgnorePatterns: [
    '<rootDir>/jupyterlab_trusted_identity/',
    '<rootDir>/ui-tests/',
    '<rootDir>/.venv/',
    // The compatibility matrix's virtual environments (make compat).
    '<rootDir>/.compat/'
  ],
  testRegex: 'src/.*/.*.spec.ts[x]?$',
  transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`]
};
