import { describe, expect, it } from 'vitest';
import {
  AGENT_STATES,
  AgentState,
  AgentStateMachine,
  acceptsWork,
  transition,
  type AgentEvent,
  type AgentState as State,
} from '../src/state/agent-state.ts';

const EVENTS: readonly AgentEvent[] = [
  { kind: 'enrolled' },
  { kind: 'task-started', running: 1 },
  { kind: 'task-finished', running: 0 },
  { kind: 'task-finished', running: 1 },
  { kind: 'drain' },
  { kind: 'drained' },
  { kind: 'fatal', reason: 'x' },
  { kind: 'stop' },
];

const key = (event: AgentEvent) =>
  event.kind === 'task-started' || event.kind === 'task-finished'
    ? `${event.kind}/${event.running}`
    : event.kind;

// The whole table: every (state, event) pair, the resulting state or null for "refused".
const EXPECTED: Record<State, Record<string, State | null>> = {
  enrolling: {
    enrolled: 'idle',
    'task-started/1': null,
    'task-finished/0': null,
    'task-finished/1': null,
    drain: null,
    drained: null,
    fatal: 'error',
    stop: 'stopped',
  },
  idle: {
    enrolled: null,
    'task-started/1': 'busy',
    'task-finished/0': null,
    'task-finished/1': null,
    drain: 'draining',
    drained: null,
    fatal: 'error',
    stop: null,
  },
  busy: {
    enrolled: null,
    'task-started/1': 'busy',
    'task-finished/0': 'idle',
    'task-finished/1': 'busy',
    drain: 'draining',
    drained: null,
    fatal: 'error',
    stop: null,
  },
  draining: {
    enrolled: null,
    'task-started/1': null,
    'task-finished/0': 'draining',
    'task-finished/1': 'draining',
    drain: null,
    drained: 'stopped',
    fatal: 'error',
    stop: 'stopped',
  },
  stopped: {
    enrolled: null,
    'task-started/1': null,
    'task-finished/0': null,
    'task-finished/1': null,
    drain: null,
    drained: null,
    fatal: null,
    stop: null,
  },
  error: {
    enrolled: null,
    'task-started/1': null,
    'task-finished/0': null,
    'task-finished/1': null,
    drain: null,
    drained: null,
    fatal: 'error',
    stop: 'stopped',
  },
};

describe('transition', () => {
  for (const state of AGENT_STATES) {
    for (const event of EVENTS) {
      const expected = EXPECTED[state][key(event)];
      it(`${state} + ${key(event)} → ${expected ?? 'refused'}`, () => {
        const result = transition(state, event);
        if (expected === null) {
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.reason).toContain(state);
        } else {
          expect(result).toEqual({ ok: true, state: expected });
        }
      });
    }
  }

  it('takes work only when idle or busy', () => {
    expect(AGENT_STATES.filter(acceptsWork)).toEqual([AgentState.Idle, AgentState.Busy]);
  });
});

describe('AgentStateMachine', () => {
  it('applies legal events, reports changes and throws on an illegal one', () => {
    const changes: string[] = [];
    const machine = new AgentStateMachine(AgentState.Enrolling, (from, to) => changes.push(`${from}>${to}`));
    machine.apply({ kind: 'enrolled' });
    machine.apply({ kind: 'task-started', running: 1 });
    machine.apply({ kind: 'task-started', running: 2 });
    machine.apply({ kind: 'drain' });
    expect(() => machine.apply({ kind: 'task-started', running: 3 })).toThrow(
      /not allowed in state 'draining'/,
    );
    machine.apply({ kind: 'drained' });
    expect(machine.state).toBe(AgentState.Stopped);
    expect(changes).toEqual(['enrolling>idle', 'idle>busy', 'busy>draining', 'draining>stopped']);
  });
});
