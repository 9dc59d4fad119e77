import * as Minions from 'minions';
import { parseJsonEntry } from '../../../src/cli/run/json-entry';
import type { MinionsApi } from '../../../src/cli/run/minions-api';

const api = Minions as unknown as MinionsApi;
const entry = (gru: unknown) => ({ gru, orchestrations: [{ pipeline: 'feed.js', minion: 'worker.js' }] });

describe('minions run: the retry options of a JSON entry', () => {
  it('passes gru.persistenceRetry and gru.producerRetry through as GruOptions', () => {
    const { gruOptions } = parseJsonEntry(entry({ persistenceRetry: { delayMs: 200 }, producerRetry: { delayMs: 50, maxDelayMs: 5_000 } }), 'e.json', api);
    expect(gruOptions.persistenceRetry).toEqual({ delayMs: 200 });
    expect(gruOptions.producerRetry).toEqual({ delayMs: 50, maxDelayMs: 5_000 });
  });

  it('refuses a producerRetry that is not an object, naming the key', () => {
    expect(() => parseJsonEntry(entry({ producerRetry: 1000 }), 'e.json', api)).toThrow('e.json: gru.producerRetry must be an object');
  });
});
