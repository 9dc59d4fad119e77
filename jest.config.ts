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
  testTimeout: 60_000,
};

export default config;
