// `enclave agent start|status`. Returns the exit code; the process wrapper stays in main.ts.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { AgentConfigError, parseAgentConfig, type AgentConfig } from '../config/agent-config.ts';
import { formatAgentStatus, readAgentStatus } from './agent-status.ts';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Starts the daemon and resolves with its exit code once it has stopped. */
  startDaemon(config: AgentConfig): Promise<number>;
}

const USAGE =
  'usage: enclave agent start --config FILE | enclave agent status (--config FILE | --state-dir DIR)';

export function loadConfigFile(file: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AgentConfigError(
      `${file}: cannot read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseAgentConfig(text, file);
}

export async function runAgentCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = argv[0] === 'agent' ? argv.slice(1) : [...argv];
  const [command, ...rest] = args;
  let values: { config?: string; 'state-dir'?: string };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { config: { type: 'string' }, 'state-dir': { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    io.err(`enclave agent: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  try {
    switch (command) {
      case 'start': {
        if (!values.config) {
          io.err(`enclave agent start: --config FILE is required\n${USAGE}`);
          return 2;
        }
        return await io.startDaemon(loadConfigFile(values.config));
      }
      case 'status': {
        const stateDir =
          values['state-dir'] ?? (values.config ? loadConfigFile(values.config).stateDir : undefined);
        if (!stateDir) {
          io.err(`enclave agent status: --config FILE or --state-dir DIR is required\n${USAGE}`);
          return 2;
        }
        io.out(formatAgentStatus(readAgentStatus(stateDir)));
        return 0;
      }
      default:
        io.err(`enclave agent: unknown command '${command ?? ''}'\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof AgentConfigError) {
      io.err(`enclave agent: invalid configuration: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
