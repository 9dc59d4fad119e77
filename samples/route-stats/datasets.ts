import { dirname, join } from 'node:path';

/**
 * Path of a file shipped in the `vega-datasets` npm package: its data files sit next to its
 * JavaScript entry's folder (`<package>/build/index.js` -> `<package>/data/<name>`).
 */
export function datasetFile(name: string): string {
  return join(dirname(require.resolve('vega-datasets')), '..', 'data', name);
}

/** US airports (`iata,name,city,state,country,latitude,longitude`), about 3,400 of them. */
export const airportsFile = (): string => datasetFile('airports.csv');

/** 20,000 US domestic flights of 2001. */
export const flightsFile = (): string => datasetFile('flights-20k.json');
