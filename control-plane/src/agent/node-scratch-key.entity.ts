// Which key-ring key is a node's LUKS2 scratch volume key. The key itself is only in the key
// ring, wrapped under the appliance's node KEK (NODE_KEYS_OWNER), never in this table.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const NodeScratchKey = defineEntity({
  name: 'NodeScratchKey',
  properties: {
    nodeId: p.string().length(64).primary(),
    keyId: p.string().length(128),
    createdAt: p.datetime(),
  },
});

export type NodeScratchKeyRow = InferEntity<typeof NodeScratchKey>;
