// The agent's configuration file (JSON or YAML), validated once at start against a schema and
// frozen. A bad value stops boot with one line naming the field.
import { SlugSchema } from '@enclave/contracts';
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
    /**
     * Base URL of the control plane's agent listener (mutual TLS, `/agent/v1/*`: inputs, outputs,
     * renewal). It listens on its own port (ENCLAVE_AGENT_PORT, 8444), so it is not
     * controlPlaneUrl (the API listener, used for enrollment); unset means the same host on 8444.
     */
    agentUrl: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional(),
    /** File holding the one-time enrollment token (the env ENCLAVE_AGENT_TOKEN wins). */
    tokenFile: z.string().startsWith('/', 'must be an absolute path').optional(),
    slots: z.int().min(1).max(64).default(1),
    heartbeatSeconds: z.int().min(1).max(300).default(10),
    drainDeadlineSeconds: z.int().min(0).max(86_400).default(300),
    progressIntervalMs: z.int().min(100).max(60_000).default(2_000),
    flushRetrySeconds: z.int().min(1).max(600).default(5),
    /** Run steps without a network namespace where the host cannot make one. */
    allowUnsandboxed: z.boolean().default(false),
    /**
     * Extra destinations the agent itself may connect to, besides the control plane and the
     * Kafka bootstrap: `host`, `host:port`, `a.b.c.d/len` (IPv4 CIDR) or an IPv6 address.
     */
    egressAllow: z.array(z.string().min(1).max(256)).max(256).default([]),
    /** Scheduler tags this node offers (enrollment capabilities), e.g. `studio-a`. */
    tags: z.array(SlugSchema).max(32).default([]),
    /**
     * Put scratchDir on a LUKS2 volume in this loop file, formatted afresh at every start with
     * the node's key from the control plane (GET /agent/v1/scratch-key; memory only). Needs root
     * and dm-crypt. Unset: scratchDir is a plain directory (development).
     */
    scratchVolume: z
      .object({
        backingFile: z.string().startsWith('/', 'must be an absolute path'),
        sizeMiB: z
          .int()
          .min(32)
          .max(16 * 1024 * 1024),
        name: z
          .string()
          .regex(/^[a-z0-9][a-z0-9_-]{0,47}$/, 'must be 1-48 of a-z, 0-9, _ and -')
          .default('enclave-scratch'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type AgentConfig = Readonly<z.infer<typeof AgentConfigSchema>>;

/** The agent listener's base URL: `agentUrl`, or controlPlaneUrl's host on the default port 8444. */
export function agentListenerUrl(config: Pick<AgentConfig, 'agentUrl' | 'controlPlaneUrl'>): string {
  if (config.agentUrl !== undefined) return config.agentUrl;
  const url = new URL(config.controlPlaneUrl);
  url.port = '8444';
  return url.origin;
}

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
