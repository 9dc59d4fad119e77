import { groupByOrchestration, minionsUnderSeveral } from '../../../src/cli/inspect/group-by-orchestration';
import type { SavedWorkflow } from '../../../src/cli/inspect/saved-workflows';

function saved(orchestrationId: string, over: Partial<SavedWorkflow> = {}): SavedWorkflow {
  return {
    workflowId: `wf-${Math.random()}`, orchestrationId, minionId: 'm', nextStep: 'two', nextStepIndex: 1,
    startedAt: '2024-01-01T00:00:00.000Z', ageMs: 1000, sizeBytes: 10, ...over,
  };
}

describe('minions inspect: saved workflows grouped by orchestration', () => {
  it('counts workflows per orchestration and per next step (in step order), with the minion and the oldest start', () => {
    const groups = groupByOrchestration([
      saved('o-a', { nextStep: 'three', nextStepIndex: 2, startedAt: '2024-01-01T00:00:05.000Z', ageMs: 5 }),
      saved('o-a', { startedAt: '2024-01-01T00:00:01.000Z', ageMs: 9 }),
      saved('o-a'),
      saved('o-b', { minionId: null, nextStep: null, nextStepIndex: null, startedAt: null, ageMs: null, error: 'bad' }),
      saved('o-b', { minionId: 'n', nextStep: 'one', nextStepIndex: 0, startedAt: null, ageMs: null }),
    ]);
    expect(groups).toEqual([
      {
        orchestrationId: 'o-a', minionId: 'm', workflows: 3, undecodable: 0, failed: 0, oldestStartedAt: '2024-01-01T00:00:00.000Z', oldestAgeMs: 1000,
        nextSteps: [{ step: 'two', index: 1, workflows: 2 }, { step: 'three', index: 2, workflows: 1 }],
      },
      { orchestrationId: 'o-b', minionId: 'n', workflows: 2, undecodable: 1, failed: 0, oldestStartedAt: null, oldestAgeMs: null, nextSteps: [{ step: 'one', index: 0, workflows: 1 }] },
    ]);
  });

  it('finds the minions whose saved workflows sit under more than one orchestration', () => {
    const groups = groupByOrchestration([saved('o-a'), saved('o-b'), saved('o-c', { minionId: 'other' }), saved('o-d', { minionId: null })]);
    expect(minionsUnderSeveral(groups)).toEqual([{ minionId: 'm', orchestrationIds: ['o-a', 'o-b'] }]);
  });
});
