import type { Config } from 'jest';
import { baseConfig } from './jest.config';

/** `npm run test:scale`: only the scale tests (the 3 million flights of vega-datasets). */
const config: Config = {
  ...baseConfig,
  roots: ['<rootDir>/test/scale'],
  testTimeout: 3_600_000,
};

export default config;
