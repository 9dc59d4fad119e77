import { readFileSync } from 'node:fs';
import { AirportDirectory, parseAirportsCsv } from './airport-directory';
import { airportsFile } from './datasets';
import { SampleSettings } from './settings';

describe('flight-delays airports', () => {
  it('loads airports.csv, names with quoted commas included', () => {
    const airports = parseAirportsCsv(readFileSync(airportsFile(), 'utf8'));
    expect(airports.size).toBeGreaterThan(3000);
    expect(airports.get('ORD')).toEqual({ iata: 'ORD', name: "Chicago O'Hare International", city: 'Chicago', state: 'IL' });
    expect(airports.get('35A')?.name).toBe('Union County, Troy Shelton');
    expect(airports.get('PUW')?.city).toBe('Pullman/Moscow,ID');
  });

  it('parses quoting by the CSV rules and refuses a file without the iata column', () => {
    const airports = parseAirportsCsv('iata,name,city,state\nXYZ,"A ""quoted"", name",Town,ST\n');
    expect(airports.get('XYZ')?.name).toBe('A "quoted", name');
    expect(() => parseAirportsCsv('code,name\nXYZ,Somewhere\n', 'x.csv')).toThrow('x.csv: the header must name the columns "iata" and "name"');
  });

  it('AirportDirectory loads at startup and looks codes up case-insensitively; unknown codes give undefined', async () => {
    const settings = new SampleSettings('/unused', { path: '', digest: '', count: 0, records: async function* () { /* no flights */ } }, airportsFile(), 60);
    const directory = new AirportDirectory(settings);
    await directory.startup();
    expect(directory.size).toBeGreaterThan(3000);
    expect(directory.lookup('lax')?.name).toBe('Los Angeles International');
    expect(directory.lookup('ZZZ')).toBeUndefined();
  });
});
