import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAgentConfig } from '../src/config/agent-config.ts';
import { runAgentCli, type CliIo } from '../src/cli/run-agent-cli.ts';
import { SqliteOutboxStore } from '../src/outbox/outbox.store.ts';
import { StateDir } from '../src/config/state-dir.ts';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const started: unknown[] = [];
  const value: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: {},
    startDaemon: (config) => {
      started.push(config);
      return Promise.resolve(0);
    },
  };
  return { value, out, err, started };
}

const dir = () => mkdtempSync(join(tmpdir(), 'agent-cli-'));

describe('agent config', () => {
  it('applies defaults and freezes', () => {
    const config = parseAgentConfig(
      'stateDir: /var/lib/a\nscratchDir: /s\ncontrolPlaneUrl: https://cp:8443\n',
      'a.yaml',
    );
    expect(config.slots).toBe(1);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [
      '{"stateDir":"rel","scratchDir":"/s","controlPlaneUrl":"https://cp"}',
      /stateDir: must be an absolute path/,
    ],
    [
      '{"stateDir":"/a","scratchDir":"/s","controlPlaneUrl":"http://cp"}',
      /controlPlaneUrl: must be an https:\/\/ URL/,
    ],
    ['{"stateDir":"/a","scratchDir":"/s","controlPlaneUrl":"https://cp","slots":0}', /slots: /],
    ['{"stateDir":"/a","scratchDir":"/s","controlPlaneUrl":"https://cp","slotz":1}', /slotz/],
    ['{"stateDir":', /not valid JSON/],
  ])('names the bad field: %s', (text, message) => {
    expect(() => parseAgentConfig(text, 'agent.json')).toThrow(message);
  });
});

describe('enclave agent CLI', () => {
  it('start: a bad value is one line naming the field and exit 2', async () => {
    const file = join(dir(), 'agent.json');
    writeFileSync(
      file,
      JSON.stringify({ stateDir: '/a', scratchDir: '/s', controlPlaneUrl: 'https://cp', slots: 99 }),
    );
    const cli = io();
    expect(await runAgentCli(['agent', 'start', '--config', file], cli.value)).toBe(2);
    expect(cli.err).toHaveLength(1);
    expect(cli.err[0]).toMatch(/^enclave agent: invalid configuration: .*agent\.json: slots: /);
    expect(cli.started).toEqual([]);
  });

  it('start: a valid config starts the daemon', async () => {
    const file = join(dir(), 'agent.yaml');
    writeFileSync(file, 'stateDir: /var/lib/a\nscratchDir: /s\ncontrolPlaneUrl: https://cp:8443\nslots: 2\n');
    const cli = io();
    expect(await runAgentCli(['start', '--config', file], cli.value)).toBe(0);
    expect(cli.started).toMatchObject([{ slots: 2 }]);
  });

  it('status: reads state, node id and outbox depth from the state dir', async () => {
    const stateDir = dir();
    const state = new StateDir(stateDir);
    state.ensure();
    state.writeStatus({ state: 'busy', pid: 1, updatedAt: '2026-01-01T00:00:00.000Z' });
    const store = new SqliteOutboxStore(state.paths.outbox);
    store.append({
      topic: 'results.n1',
      key: 'k',
      value: Buffer.from('{}'),
      messageId: 'm1',
      createdAt: 'now',
    });
    store.close();
    const cli = io();
    expect(await runAgentCli(['status', '--state-dir', stateDir], cli.value)).toBe(0);
    expect(cli.out[0]).toMatch(/enrolled: +no/);
    expect(cli.out[0]).toMatch(/state: +busy/);
    expect(cli.out[0]).toMatch(/outbox depth: 1/);
  });

  it('unknown command → usage and exit 2', async () => {
    const cli = io();
    expect(await runAgentCli(['agent', 'fly'], cli.value)).toBe(2);
    expect(cli.err[0]).toMatch(/unknown command 'fly'/);
  });
});
