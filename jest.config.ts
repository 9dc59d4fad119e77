import type { Config } from 'jest';

/** ES-module-only packages the sample uses (hyparquet): compiled to CommonJS for Jest. */
const ESM_PACKAGES = ['hyparquet', 'hyparquet-compressors', 'hysnappy', 'hyparquet-writer'];

export const baseConfig: Config = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/samples'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: {
    '^minions$': '<rootDir>/src/index.ts',
    '^minions/testing$': '<rootDir>/src/testing/index.ts',
  },
  transform: {
    '^.+\\.ts$': 'ts-jest',
    [`node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' }, isolatedModules: true }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  setupFiles: ['reflect-metadata'],
  // Throwaway PostgreSQL and NATS JetStream servers (scripts/test-postgres.sh, scripts/test-nats.sh).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
};

/** `npm test`: everything but the scale tests (test/scale, `npm run test:scale`). */
const config: Config = {
  ...baseConfig,
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/scale/'],
};

export default config;
