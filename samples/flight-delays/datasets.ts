import { dirname, join } from 'node:path';

/**
 * Path of a file shipped in the `vega-datasets` npm package. The package exports only its
 * JavaScript entry (`build/index.js`), so its data files are found from the entry's folder:
 * `<package>/build/index.js` -> `<package>/data/<name>`.
 */
export function datasetFile(name: string): string {
  return join(dirname(require.resolve('vega-datasets')), '..', 'data', name);
}

/** The default input: 20,000 US domestic flights of 2001. */
export const defaultFlightsFile = (): string => datasetFile('flights-20k.json');

/** US airports by IATA code (`iata,name,city,state,country,latitude,longitude`). */
export const airportsFile = (): string => datasetFile('airports.csv');

/** Short names accepted by `--input` for the flights files bundled with vega-datasets. */
export const BUNDLED_INPUTS: Record<string, string> = {
  'flights-20k': 'flights-20k.json',
  'flights-3m': 'flights-3m.parquet',
};

/** An `--input` value as a path: a bundled file's short name (`flights-3m`), or the value itself. */
export function resolveInput(value: string): string {
  const bundled = BUNDLED_INPUTS[value];
  return bundled === undefined ? value : datasetFile(bundled);
}
