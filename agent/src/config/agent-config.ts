// The agent's configuration file (JSON or YAML), validated once at start against a schema and
// frozen. A bad value stops boot with one line naming the field.
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';

export const AgentConfigSchema = z
  .object({
    /** Identity, certificates, outbox and state file live here (mode 0700). */
    stateDir: z.string().startsWith('/', 'must be an absolute path'),
    /** Per-task scratch root (the LUKS2 volume on a node). */
    scratchDir: z.string().startsWith('/', 'must be an absolute path'),
    /** Base URL of the control plane, https only. */
    controlPlaneUrl: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
    /** File holding the one-time enrollment token (the env ENCLAVE_AGENT_TOKEN wins). */
    tokenFile: z.string().startsWith('/', 'must be an absolute path').optional(),
    slots: z.int().min(1).max(64).default(1),
    heartbeatSeconds: z.int().min(1).max(300).default(10),
    drainDeadlineSeconds: z.int().min(0).max(86_400).default(300),
    progressIntervalMs: z.int().min(100).max(60_000).default(2_000),
    flushRetrySeconds: z.int().min(1).max(600).default(5),
    /** Run steps without a network namespace where the host cannot make one. */
    allowUnsandboxed: z.boolean().default(false),
  })
  .strict();

export type AgentConfig = Readonly<z.infer<typeof AgentConfigSchema>>;

export class AgentConfigError extends Error {}

/** Parses and validates; throws AgentConfigError with a one-line message naming the field. */
export function parseAgentConfig(text: string, source: string): AgentConfig {
  let raw: unknown;
  try {
    raw = source.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new AgentConfigError(
      `${source}: not valid ${source.endsWith('.json') ? 'JSON' : 'YAML'}: ${String(error)}`,
    );
  }
  const result = AgentConfigSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.') || '(top level)';
    throw new AgentConfigError(`${source}: ${field}: ${issue?.message ?? 'invalid'}`);
  }
  return Object.freeze(result.data);
}
