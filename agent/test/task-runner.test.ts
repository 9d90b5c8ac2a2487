import type { Envelope } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import { StubInputFetcher } from '../src/runner/input-fetcher.ts';
import { TaskRunner } from '../src/runner/task-runner.ts';
import { AgentState, AgentStateMachine } from '../src/state/agent-state.ts';
import { ManualClock } from '../src/support/clock.ts';
import { ManualTimers } from '../src/support/timers.ts';
import { ScriptedRuntime, assignEnvelope, cancelEnvelope, flushPromises, nextId } from './fixtures.ts';

function setup(slots = 2) {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const runtime = new ScriptedRuntime();
  const sent: Envelope[] = [];
  const machine = new AgentStateMachine(AgentState.Idle);
  const runner = new TaskRunner({
    slots,
    sink: { append: (envelope) => sent.push(envelope) },
    machine,
    clock,
    timers,
    newId: nextId,
    runtime,
    inputs: new StubInputFetcher('/scratch'),
    progressIntervalMs: 1_000,
  });
  const summary = () =>
    sent.map((envelope) =>
      envelope.type === 'task.failed'
        ? `${envelope.body.taskId}:failed:${envelope.body.failure}:${envelope.body.code}`
        : envelope.type === 'task.progress'
          ? `${envelope.body.taskId}:progress:${envelope.body.fraction}`
          : `${'taskId' in envelope.body ? envelope.body.taskId : '?'}:${envelope.type.slice(5)}`,
    );
  return { clock, timers, runtime, sent, machine, runner, summary };
}

describe('TaskRunner', () => {
  it('accepts, throttles progress, succeeds and frees the slot', async () => {
    const { runner, runtime, timers, machine, summary, sent } = setup();
    expect(runner.handle(assignEnvelope())).toBe('accepted');
    expect(machine.state).toBe(AgentState.Busy);
    expect(runner.leases()).toEqual([{ taskId: 'task-1', epoch: 1 }]);
    await flushPromises();
    const context = runtime.contexts.get('task-1');
    context?.onProgress({ fraction: 0.1, stage: 'transcode' });
    context?.onProgress({ fraction: 0.2, stage: 'transcode' }); // within 1 s: dropped
    timers.advance(1_000);
    context?.onProgress({ fraction: 0.5, stage: 'transcode' });
    runtime.finish('task-1');
    await flushPromises();
    expect(summary()).toEqual([
      'task-1:accepted',
      'task-1:progress:0.1',
      'task-1:progress:0.5',
      'task-1:succeeded',
    ]);
    expect(sent.every((envelope) => envelope.tenantId === 'tenant-1')).toBe(true);
    expect(runner.slotsFree).toBe(2);
    expect(machine.state).toBe(AgentState.Idle);
  });

  it('deduplicates redeliveries and drops stale epochs', async () => {
    const { runner, runtime } = setup();
    expect(runner.handle(assignEnvelope({ epoch: 2 }))).toBe('accepted');
    expect(runner.handle(assignEnvelope({ epoch: 2 }))).toBe('duplicate');
    expect(runner.handle(assignEnvelope({ epoch: 1 }))).toBe('stale-epoch');
    await flushPromises();
    runtime.finish('task-1');
    await flushPromises();
    expect(runner.handle(assignEnvelope({ epoch: 1 }))).toBe('stale-epoch');
  });

  it('refuses work beyond its slots with a soft NO_CAPACITY', () => {
    const { runner, summary } = setup(2);
    expect(runner.handle(assignEnvelope({ taskId: 'a', slots: 2 }))).toBe('accepted');
    expect(runner.handle(assignEnvelope({ taskId: 'b' }))).toBe('refused-capacity');
    expect(summary()).toEqual(['a:accepted', 'b:failed:soft:NO_CAPACITY']);
  });

  it('maps a runtime failure to task.failed with its code', async () => {
    const { runner, runtime, summary } = setup();
    runner.handle(assignEnvelope());
    await flushPromises();
    runtime.finish('task-1', {
      ok: false,
      failure: 'hard',
      code: 'STEP_FAILED',
      message: 'bad input',
      step: { index: 0, name: 'transcode' },
    });
    await flushPromises();
    expect(summary()).toEqual(['task-1:accepted', 'task-1:failed:hard:STEP_FAILED']);
  });

  it('cancels through the AbortSignal; a cancel for another epoch is ignored', async () => {
    const { runner, runtime, summary } = setup();
    runner.handle(assignEnvelope({ epoch: 3 }));
    await flushPromises();
    expect(runner.handle(cancelEnvelope('task-1', 2))).toBe('cancel-unknown');
    expect(runner.handle(cancelEnvelope('task-1', 3))).toBe('cancelled');
    await flushPromises();
    expect(runtime.contexts.get('task-1')?.signal.aborted).toBe(true);
    expect(summary()).toEqual(['task-1:accepted', 'task-1:failed:hard:CANCELLED']);
  });

  it('times a task out with a hard TASK_TIMEOUT', async () => {
    const { runner, timers, summary } = setup();
    runner.handle(assignEnvelope({ timeoutMs: 5_000 }));
    await flushPromises();
    timers.advance(5_000);
    await flushPromises();
    expect(summary()).toEqual(['task-1:accepted', 'task-1:failed:hard:TASK_TIMEOUT']);
  });

  it('drains: finished tasks succeed, the rest are handed back at the deadline', async () => {
    const { runner, runtime, timers, machine, summary } = setup();
    runner.handle(assignEnvelope({ taskId: 'a' }));
    runner.handle(assignEnvelope({ taskId: 'b' }));
    await flushPromises();
    const drained = runner.drain(10_000);
    expect(machine.state).toBe(AgentState.Draining);
    expect(runner.handle(assignEnvelope({ taskId: 'c' }))).toBe('refused-draining');
    runtime.finish('a');
    await flushPromises();
    timers.advance(10_000);
    await drained;
    expect(summary()).toEqual([
      'a:accepted',
      'b:accepted',
      'c:failed:soft:AGENT_SHUTDOWN',
      'a:succeeded',
      'b:failed:soft:AGENT_SHUTDOWN',
    ]);
    expect(runner.runningCount).toBe(0);
  });
});
