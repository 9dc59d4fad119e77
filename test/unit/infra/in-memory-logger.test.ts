import { InMemoryLogger } from '../../../src/infra/in-memory-logger';

describe('InMemoryLogger', () => {
  it('records level, message and a copy of the fields', () => {
    const log = new InMemoryLogger();
    const fields = { workflow_id: 'wf-1' };
    log.log('info', 'Workflow started', fields);
    fields.workflow_id = 'changed';
    log.log('debug', 'Workflow Step started');
    expect(log.entries).toEqual([
      { level: 'info', message: 'Workflow started', fields: { workflow_id: 'wf-1' } },
      { level: 'debug', message: 'Workflow Step started', fields: {} },
    ]);
  });

  it('finds lines by message, RegExp and level', () => {
    const log = new InMemoryLogger();
    const error = new TypeError('bad');
    log.log('error', 'Workflow failed', { error });
    log.log('info', 'Workflow failed', {});
    log.log('warn', 'Resource method failed');
    expect(log.find('Workflow failed')?.fields.error).toBe(error);
    expect(log.find('Workflow failed', 'info')?.level).toBe('info');
    expect(log.findAll(/failed$/)).toHaveLength(3);
    expect(log.find('nothing')).toBeUndefined();
    expect(log.atOrAbove('warn').map((e) => e.level)).toEqual(['error', 'warn']);
  });

  it('drops lines below its level and clears', () => {
    const log = new InMemoryLogger({ level: 'warn' });
    log.log('info', 'quiet');
    log.log('critical', 'loud');
    expect(log.entries.map((e) => e.message)).toEqual(['loud']);
    log.clear();
    expect(log.entries).toEqual([]);
  });
});
