// The agent's life as an explicit state machine. `transition` is pure: the daemon asks it
// before every change and refuses whatever it refuses, so an odd event order (a task finishing
// while draining, a second signal) cannot put the agent in a state nobody designed.

export const AgentState = {
  Enrolling: 'enrolling',
  Idle: 'idle',
  Busy: 'busy',
  Draining: 'draining',
  Stopped: 'stopped',
  Error: 'error',
} as const;

export type AgentState = (typeof AgentState)[keyof typeof AgentState];

export const AGENT_STATES: readonly AgentState[] = Object.values(AgentState);

export type AgentEvent =
  | { kind: 'enrolled' }
  | { kind: 'task-started'; running: number }
  | { kind: 'task-finished'; running: number }
  | { kind: 'drain' }
  | { kind: 'drained' }
  | { kind: 'fatal'; reason: string }
  | { kind: 'stop' };

export type AgentEventKind = AgentEvent['kind'];

export type TransitionResult = { ok: true; state: AgentState } | { ok: false; reason: string };

const refuse = (state: AgentState, event: AgentEvent): TransitionResult => ({
  ok: false,
  reason: `event '${event.kind}' is not allowed in state '${state}'`,
});

const to = (state: AgentState): TransitionResult => ({ ok: true, state });

export function transition(state: AgentState, event: AgentEvent): TransitionResult {
  // A fatal error is allowed from anywhere but the terminal state.
  if (event.kind === 'fatal')
    return state === AgentState.Stopped ? refuse(state, event) : to(AgentState.Error);
  switch (state) {
    case AgentState.Enrolling:
      if (event.kind === 'enrolled') return to(AgentState.Idle);
      if (event.kind === 'stop') return to(AgentState.Stopped);
      return refuse(state, event);
    case AgentState.Idle:
      if (event.kind === 'task-started') return to(AgentState.Busy);
      if (event.kind === 'drain') return to(AgentState.Draining);
      return refuse(state, event);
    case AgentState.Busy:
      if (event.kind === 'task-started') return to(AgentState.Busy);
      if (event.kind === 'task-finished') return to(event.running > 0 ? AgentState.Busy : AgentState.Idle);
      if (event.kind === 'drain') return to(AgentState.Draining);
      return refuse(state, event);
    case AgentState.Draining:
      // Running tasks may still finish while draining; nothing new may start.
      if (event.kind === 'task-finished') return to(AgentState.Draining);
      if (event.kind === 'drained' || event.kind === 'stop') return to(AgentState.Stopped);
      return refuse(state, event);
    case AgentState.Error:
      if (event.kind === 'stop') return to(AgentState.Stopped);
      return refuse(state, event);
    case AgentState.Stopped:
      return refuse(state, event);
    default: {
      const unhandled: never = state;
      throw new Error(`unknown agent state ${String(unhandled)}`);
    }
  }
}

/** Whether the agent may take a new task.assign in this state. */
export function acceptsWork(state: AgentState): boolean {
  return state === AgentState.Idle || state === AgentState.Busy;
}

/** Holds the current state and applies transitions, throwing on a refused one. */
export class AgentStateMachine {
  #state: AgentState;
  readonly #onChange: (from: AgentState, to: AgentState) => void;

  constructor(initial: AgentState, onChange: (from: AgentState, to: AgentState) => void = () => {}) {
    this.#state = initial;
    this.#onChange = onChange;
  }

  get state(): AgentState {
    return this.#state;
  }

  apply(event: AgentEvent): AgentState {
    const result = this.tryApply(event);
    if (!result.ok) throw new Error(result.reason);
    return result.state;
  }

  /** Like apply, but a refused event leaves the state as it is and is returned, not thrown. */
  tryApply(event: AgentEvent): TransitionResult {
    const result = transition(this.#state, event);
    if (!result.ok) return result;
    const from = this.#state;
    this.#state = result.state;
    if (from !== result.state) this.#onChange(from, result.state);
    return result;
  }
}
