// Carries out an erase.order: every running task under the ordered keys is cancelled (its
// scratch, plaintext included, is wiped by the runtime and double-checked here), every cached
// ciphertext under those keys is deleted, and a receipt signed with the node key goes into the
// results outbox — durable before the jobs offset is committed, so it survives a broker outage
// or a restart. A redelivered order is carried out again and answers `not-held`: the control
// plane keeps the first receipt of an order.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EraseOutcome, newEnvelope, type EnvelopeOf, type EraseReceiptItem } from '@enclave/contracts';
import type { TaskRunner } from '../runner/task-runner.ts';
import type { Clock } from '../support/clock.ts';
import type { Logger } from '../support/logger.ts';
import { emptyTally, eraseCacheEntries, tallyTree, type KeyTally } from './cache-eraser.ts';
import type { ReceiptSigner } from './receipt-signer.ts';

export interface EraseOrderDeps {
  nodeId: string;
  cacheDir: string;
  /** Per-task scratch directories live at `<scratchRoot>/<taskId>` (gpu-node's ScratchManager). */
  scratchRoot: string;
  runner: Pick<TaskRunner, 'tasksUsingKeys' | 'cancelUsingKeys'>;
  signer: ReceiptSigner;
  sink: { append(envelope: EnvelopeOf<'erase.receipt'>): void };
  clock: Clock;
  newId: () => string;
  logger: Logger;
}

export interface EraseSummary {
  orderId: string;
  tasksCancelled: number;
  files: number;
  bytes: number;
  items: EraseReceiptItem[];
}

export class EraseOrderHandler {
  readonly #deps: EraseOrderDeps;

  constructor(deps: EraseOrderDeps) {
    this.#deps = deps;
  }

  async handle(order: EnvelopeOf<'erase.order'>): Promise<EraseSummary> {
    const { runner, logger } = this.#deps;
    const keyIds = new Set(order.body.keyIds);
    const tallies = new Map<string, KeyTally>(order.body.keyIds.map((keyId) => [keyId, emptyTally()]));
    // Scratch first: count what the running tasks hold before their cancellation wipes it.
    const running = runner.tasksUsingKeys(keyIds);
    const scratch = await Promise.all(
      running.map(async (task) => ({ ...task, ...(await tallyTree(this.#scratchOf(task.taskId))) })),
    );
    await runner.cancelUsingKeys(keyIds);
    for (const task of scratch) {
      const tally = tallies.get(task.keyId) ?? emptyTally();
      try {
        // The runtime wipes a task's scratch whatever the outcome; this only makes sure.
        await rm(this.#scratchOf(task.taskId), { recursive: true, force: true });
        tally.files += task.files;
        tally.bytes += task.bytes;
      } catch {
        tally.failed.push(this.#scratchOf(task.taskId));
      }
      tallies.set(task.keyId, tally);
    }
    const cache = await eraseCacheEntries(this.#deps.cacheDir, keyIds);
    for (const [keyId, found] of cache.perKey) {
      const tally = tallies.get(keyId) ?? emptyTally();
      tally.files += found.files;
      tally.bytes += found.bytes;
      tally.failed.push(...found.failed);
      tallies.set(keyId, tally);
    }
    if (cache.unreadable.length > 0)
      logger.warn('erase order: cache files without a readable header were left', {
        orderId: order.body.orderId,
        files: cache.unreadable.slice(0, 20),
      });
    const inMemory = new Set(running.map((task) => task.keyId));
    const items = order.body.keyIds.map((keyId) =>
      itemOf(keyId, tallies.get(keyId) ?? emptyTally(), inMemory.has(keyId)),
    );
    await this.#answer(order, items);
    const summary: EraseSummary = {
      orderId: order.body.orderId,
      tasksCancelled: running.length,
      files: items.reduce((n, item) => n + item.files, 0),
      bytes: items.reduce((n, item) => n + item.bytes, 0),
      items,
    };
    logger.info('erase order carried out', {
      orderId: summary.orderId,
      scope: `${order.body.scope.kind}:${order.body.scope.id}`,
      tasksCancelled: summary.tasksCancelled,
      files: summary.files,
      bytes: summary.bytes,
    });
    return summary;
  }

  async #answer(order: EnvelopeOf<'erase.order'>, items: EraseReceiptItem[]): Promise<void> {
    const { nodeId, signer, sink, clock, newId } = this.#deps;
    const now = clock.now();
    const unsigned = { orderId: order.body.orderId, items, completedAt: now.toISOString() };
    const signature = await signer.sign({ nodeId, tenantId: order.tenantId, body: unsigned });
    sink.append(
      newEnvelope<'erase.receipt'>(
        {
          type: 'erase.receipt',
          nodeId,
          tenantId: order.tenantId,
          traceId: order.traceId,
          body: { ...unsigned, signature },
        },
        { id: newId(), now },
      ),
    );
  }

  #scratchOf(taskId: string): string {
    return join(this.#deps.scratchRoot, taskId);
  }
}

/** `heldKey`: a cancelled task held the key in memory (dropped when it ended), files or not. */
function itemOf(keyId: string, tally: KeyTally, heldKey: boolean): EraseReceiptItem {
  if (tally.failed.length > 0)
    return {
      keyId,
      outcome: EraseOutcome.Failed,
      files: tally.files,
      bytes: tally.bytes,
      note: `could not delete ${tally.failed.length} file(s): ${tally.failed.slice(0, 5).join(', ')}`.slice(
        0,
        1000,
      ),
    };
  return {
    keyId,
    outcome: tally.files > 0 || heldKey ? EraseOutcome.Erased : EraseOutcome.NotHeld,
    files: tally.files,
    bytes: tally.bytes,
  };
}
