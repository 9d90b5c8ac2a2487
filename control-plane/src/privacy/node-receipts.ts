// The node part of an erasure certificate, pure: one row per erase order (pending, or erased /
// failed with the node's signed receipt) and the "cached copies on GPU nodes" line, whose
// status is `done` only once every node has sent a verified receipt with nothing failed.
import {
  NodeErasureStatus,
  type EraseReceiptBody,
  type ErasureCertificateBody,
  type NodeErasure,
} from '@enclave/contracts';

export interface OrderState {
  id: string;
  nodeId: string;
  status: NodeErasureStatus;
  receipt?: EraseReceiptBody | null | undefined;
  receivedAt?: Date | null | undefined;
  attempts?: number | undefined;
  orderedAt?: Date | undefined;
  lastSentAt?: Date | null | undefined;
}

export const NODE_CACHES_WHAT = 'cached copies on GPU nodes';

export function nodeErasures(orders: readonly OrderState[]): NodeErasure[] {
  return [...orders]
    .sort((a, b) => a.nodeId.localeCompare(b.nodeId) || a.id.localeCompare(b.id))
    .map((order) => ({
      nodeId: order.nodeId,
      orderId: order.id,
      status: order.status,
      ...(order.receivedAt != null ? { receivedAt: order.receivedAt.toISOString() } : {}),
      ...(order.receipt != null ? { receipt: order.receipt } : {}),
      ...(order.attempts !== undefined ? { attempts: order.attempts } : {}),
      ...(order.lastSentAt != null
        ? { lastSentAt: order.lastSentAt.toISOString() }
        : order.orderedAt !== undefined
          ? { lastSentAt: order.orderedAt.toISOString() }
          : {}),
    }));
}

/** The nodes with an order still awaiting its receipt, sorted, each once. */
export function pendingNodes(orders: readonly Pick<OrderState, 'nodeId' | 'status'>[]): string[] {
  return [
    ...new Set(orders.filter((o) => o.status === NodeErasureStatus.Pending).map((o) => o.nodeId)),
  ].sort();
}

function nodeLine(orders: readonly OrderState[]): ErasureCertificateBody['erased'][number] {
  const nodes = [...new Set(orders.map((o) => o.nodeId))].sort();
  if (orders.length === 0)
    return {
      what: NODE_CACHES_WHAT,
      where: 'node caches and scratch directories',
      how: 'no node ran a task of these projects',
      status: 'done',
      ids: [],
    };
  const pending = orders.filter((o) => o.status === NodeErasureStatus.Pending).length;
  const failed = orders.filter((o) => o.status === NodeErasureStatus.Failed).length;
  const counts = `${orders.length - pending - failed} erased, ${failed} failed, ${pending} pending`;
  return {
    what: NODE_CACHES_WHAT,
    where: 'node caches and scratch directories',
    how: `erase.order sent to each node through the outbox; each node deletes its cached ciphertext and scratch under the destroyed keys, cancels their tasks and answers with a receipt signed by its node key (see nodeReceipts): ${counts}`,
    status: pending === 0 && failed === 0 ? 'done' : 'pending',
    ids: nodes,
  };
}

/** The certificate body with its node rows and node line brought up to `orders`. */
export function withNodeReceipts(
  body: ErasureCertificateBody,
  orders: readonly OrderState[],
  nodeIssuerPem: string,
): ErasureCertificateBody {
  const line = nodeLine(orders);
  const erased = body.erased.some((item) => item.what === NODE_CACHES_WHAT)
    ? body.erased.map((item) => (item.what === NODE_CACHES_WHAT ? line : item))
    : [...body.erased, line];
  return {
    ...body,
    erased,
    nodeReceipts: nodeErasures(orders),
    pendingNodes: pendingNodes(orders),
    nodeIssuerPem,
  };
}
