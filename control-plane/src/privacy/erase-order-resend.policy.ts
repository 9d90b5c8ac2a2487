// When an unanswered erase order goes out again, pure. The timer backs off (retry, 2×retry,
// 4×retry, … after each send); a heartbeat from the node — it is reachable now — re-sends once
// at least `retryMs` has passed since the last send. Both stop after `maxAttempts` sends in all,
// the first included: the order then stays pending and the DPO sees the node in `pendingNodes`.

export interface ResendSettings {
  readonly retryMs: number;
  readonly maxAttempts: number;
}

export type ResendTrigger = 'timer' | 'heartbeat';

export interface SentOrder {
  readonly attempts: number;
  readonly orderedAt: Date;
  readonly lastSentAt?: Date | null | undefined;
}

/** The longest wait between two timer sends: past it, doubling stops. */
const MAX_BACKOFF_MS = 86_400_000;

export function backoffMs(attempts: number, retryMs: number): number {
  return Math.min(retryMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30), MAX_BACKOFF_MS);
}

export function resendDue(
  order: SentOrder,
  now: Date,
  settings: ResendSettings,
  trigger: ResendTrigger,
): boolean {
  if (order.attempts >= settings.maxAttempts) return false;
  const last = (order.lastSentAt ?? order.orderedAt).getTime();
  const wait = trigger === 'heartbeat' ? settings.retryMs : backoffMs(order.attempts, settings.retryMs);
  return now.getTime() - last >= wait;
}
