import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_FLAGS } from './node-flags';

describe('flight-delays Node flags', () => {
  it('npm start runs the sample with NODE_FLAGS, as the scale-out workers and the tests do', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe(`node ${NODE_FLAGS.join(' ')} dist/samples/flight-delays/main.js`);
  });
});
