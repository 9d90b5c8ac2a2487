// The agent's side of the HTTPS link (/agent/*, mutual TLS with a node certificate). Enrollment,
// renewal and the ciphertext streams of inputs and outputs will join this file.
import { z } from 'zod';
import { NodeIdSchema } from '../node-id.ts';
import { TimestampSchema } from '../primitives.ts';

export const WhoamiSchema = z.object({
  nodeId: NodeIdSchema,
  /** `node-<id>`: the same principal Kafka's ACLs name. */
  principal: z.string(),
  /** When the presented certificate expires; the agent renews at about two thirds of its life. */
  certificateNotAfter: TimestampSchema,
});

export type Whoami = z.infer<typeof WhoamiSchema>;
