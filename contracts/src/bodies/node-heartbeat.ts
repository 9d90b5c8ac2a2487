// node → control plane, every few seconds on heartbeats.<node>: liveness, capacity, telemetry
// for the IT operator's rack view, and lease renewal for every task the node is running.
import { z } from 'zod';
import { LeaseRefSchema } from './task-ref.ts';
import { TimestampSchema } from '../primitives.ts';

export const NodeState = {
  /** Enrolled and connected, still discovering hardware or preparing scratch space. */
  Starting: 'starting',
  /** Taking work. */
  Ready: 'ready',
  /** Finishing what it holds, taking nothing new. */
  Draining: 'draining',
  /** Running but impaired (a GPU fell off the bus, scratch nearly full); no new work. */
  Degraded: 'degraded',
} as const;

export type NodeState = (typeof NodeState)[keyof typeof NodeState];

const PercentSchema = z.number().min(0).max(100);
const MbSchema = z.int().min(0);
const CounterSchema = z.int().min(0);

export const GpuTelemetrySchema = z.object({
  index: z.int().min(0).max(63),
  model: z.string().min(1).max(128),
  vramTotalMb: MbSchema,
  vramUsedMb: MbSchema,
  /** null when the driver does not report it (nvidia-smi prints "[N/A]"). */
  utilisationPct: PercentSchema.nullable(),
  temperatureC: z.number().min(-50).max(200).nullable(),
});

export const EgressCountersSchema = z.object({
  /**
   * Counters since `since` (the agent's start), not rates: a lost heartbeat loses no data, and
   * a reset shows as a new `since`.
   */
  since: TimestampSchema,
  /** Bytes the node sent to allowed destinations (the control plane, the broker). */
  allowedBytes: CounterSchema,
  /** Connection attempts the egress guard refused: anything but zero is worth an alert. */
  blockedConnections: CounterSchema,
  /** When the last refused attempt happened; absent while there has been none. */
  lastBlockedAt: TimestampSchema.optional(),
});

export const NodeTelemetrySchema = z.object({
  cpu: z.object({ cores: z.int().min(1).max(4096), utilisationPct: PercentSchema }),
  mem: z.object({ totalMb: MbSchema, usedMb: MbSchema }),
  /** Free space on the encrypted scratch volume. */
  scratchFreeMb: MbSchema,
  gpus: z.array(GpuTelemetrySchema).max(64),
  egress: EgressCountersSchema,
});

export const NodeHeartbeatBodySchema = z.object({
  state: z.enum(NodeState),
  /** The agent's package version, shown to the operator. */
  agentVersion: z.string().regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]{1,64})?$/, 'must be a semantic version'),
  /** The wire revision the agent speaks (see WIRE_REVISION): what the control plane may send it. */
  wireRevision: z.int().min(1),
  slots: z
    .object({ total: z.int().min(0).max(64), free: z.int().min(0).max(64) })
    .refine((slots) => slots.free <= slots.total, { message: 'free must not exceed total', path: ['free'] }),
  /**
   * The assignments the node holds: each listed (taskId, epoch) whose epoch is current has its
   * lease renewed. Absence alone ends nothing, because an assignment may still be in flight on
   * jobs.<node>; a lease that is not renewed simply expires.
   */
  leases: z.array(LeaseRefSchema).max(64),
  telemetry: NodeTelemetrySchema,
});

export type GpuTelemetry = z.infer<typeof GpuTelemetrySchema>;
export type NodeTelemetry = z.infer<typeof NodeTelemetrySchema>;
export type NodeHeartbeatBody = z.infer<typeof NodeHeartbeatBodySchema>;
