// One erase.order sent to one node, and what became of it: `pending` until the node's signed
// erase.receipt is verified, then `erased` (or `failed` when the node reported an item it could
// not erase) with the receipt kept as the node signed it. The erasure certificate of the
// request is rebuilt from these rows. A pending order is sent again (EraseOrderResender) with
// backoff, and when its node heartbeats, up to ENCLAVE_ERASE_ORDER_MAX_ATTEMPTS sends in all.
import { NodeErasureStatus, type EraseReceiptBody } from '@enclave/contracts';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const NodeEraseOrder = defineEntity({
  name: 'NodeEraseOrder',
  properties: {
    /** The order id the node's receipt names. */
    id: p.string().primary(),
    tenantId: p.string().length(64),
    /** The privacy request whose certificate lists this order. */
    requestId: p.string().length(64),
    nodeId: p.string().length(64),
    keyIds: p.json<string[]>(),
    orderedAt: p.datetime(),
    /** How many times the order went out (the first send included). */
    attempts: p.integer().default(1),
    /** The latest send; null means only the first, at `orderedAt`. */
    lastSentAt: p.datetime().nullable(),
    status: p.enum(Object.values(NodeErasureStatus)),
    receipt: p.json<EraseReceiptBody>().nullable(),
    receivedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['requestId'] }, { properties: ['status', 'nodeId'] }],
});

export type NodeEraseOrderRow = InferEntity<typeof NodeEraseOrder>;
