import type { Config } from 'jest';

const config: Config = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/samples'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: {
    '^minions$': '<rootDir>/src/index.ts',
    '^minions/testing$': '<rootDir>/src/testing/index.ts',
  },
  setupFiles: ['reflect-metadata'],
  // A throwaway PostgreSQL cluster for the PostgresStateStore tests (scripts/test-postgres.sh).
  globalSetup: '<rootDir>/test/support/postgres-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/postgres-global-teardown.ts',
  testTimeout: 60_000,
};

export default config;
