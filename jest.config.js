/** Transpile-only jest: type-checking is the separate `tsc --noEmit` step of `npm test`. */
const swc = (syntax) => ['@swc/jest', { jsc: { parser: { syntax }, target: 'es2022' }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The fault-injection suite kills real processes for minutes: it runs on its own (jest.faults.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/'],
  // The ES-module-only schema packages resolve through their "import" condition (jest.resolver.js)
  // and are compiled to CommonJS like our own sources; the rest of node_modules runs as it is.
  resolver: '<rootDir>/jest.resolver.js',
  transform: {
    '^.+\\.ts$': swc('typescript'),
    '^.+\\.m?js$': swc('ecmascript'),
  },
  transformIgnorePatterns: ['/node_modules/(?!(kubernetes-models|@kubernetes-models|is-cidr|cidr-regex)/)'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Many tests wait on child processes and git, so two workers keep both cores busy.
  maxWorkers: 2,
};
