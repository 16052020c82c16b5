/**
 * The fault-injection suite (test/faults): real processes of the tool killed and signalled part-way.
 * One test file at a time, since kill delays are measured against this machine's timing and two
 * suites sharing its cores would skew them; each file runs for minutes.
 */
const base = require('./jest.config');

module.exports = {
  testEnvironment: base.testEnvironment,
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.test.ts'],
  resolver: base.resolver,
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  setupFilesAfterEnv: base.setupFilesAfterEnv,
  globalSetup: base.globalSetup,
  globalTeardown: base.globalTeardown,
  testTimeout: 15 * 60 * 1000,
  maxWorkers: 1,
};
