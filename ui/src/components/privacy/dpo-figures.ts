// Pure figures behind the DPO's consent, report and breach screens (no browser, no React), so
// they are unit-tested alone: the share of users who granted a purpose, the breach notification
// timer, datetime-local values ↔ ISO timestamps for the breach form, the breach form's body, and
// the file name of a downloaded signed report.
import type { BreachStatus, CreateBreachRequest } from '@enclave/contracts';

/** granted / (granted + refused) as a whole percent; null when nobody answered. */
export function grantedPercent(count: { readonly granted: number; readonly refused: number }): number | null {
  const answered = count.granted + count.refused;
  return answered === 0 ? null : Math.round((count.granted / answered) * 100);
}

export interface NotifyTimer {
  /** The notification deadline has passed (by the browser's clock). */
  readonly past: boolean;
  /** Whole hours and the minutes left over, of the time left (or past the deadline). */
  readonly hours: number;
  readonly minutes: number;
}

/**
 * The clock towards a breach's `notifyBy` (detectedAt + 72 h): time left, or how long ago it
 * passed. Only open and contained breaches run a clock; notified or closed ones have none (null).
 * Minutes round up while time is left (59 s left still reads "0 h 1 min") and down once past.
 */
export function notifyTimer(notifyBy: string, status: BreachStatus, nowMs: number): NotifyTimer | null {
  if (status !== 'open' && status !== 'contained') return null;
  const diffMs = Date.parse(notifyBy) - nowMs;
  const past = diffMs <= 0;
  const totalMinutes = past ? Math.floor(Math.abs(diffMs) / 60_000) : Math.ceil(diffMs / 60_000);
  return { past, hours: Math.floor(totalMinutes / 60), minutes: totalMinutes % 60 };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO timestamp as an `<input type="datetime-local">` value in the browser's time zone. */
export function isoToLocalInput(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A datetime-local value (the browser's time zone) as an ISO timestamp in UTC. An empty or
 * unreadable value is passed on as typed, so the contract's schema answers with its own message.
 */
export function localInputToIso(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return value;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

export interface BreachFormValues {
  readonly detectedAt: string;
  readonly description: string;
  /** Ticked projects; none ticked = every project of the tenant (the field is left out). */
  readonly projectIds: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly status: BreachStatus;
}

/** The form's values as the body of `POST /api/v1/privacy/breaches` (validated by the client). */
export function breachBody(values: BreachFormValues): CreateBreachRequest {
  return {
    detectedAt: localInputToIso(values.detectedAt),
    description: values.description,
    scope: {
      ...(values.projectIds.length > 0 ? { projectIds: [...values.projectIds] } : {}),
      from: localInputToIso(values.from),
      to: localInputToIso(values.to),
    },
    status: values.status,
  };
}

/** `enclave-residency-report/v1` at `2026-11-29T08:50:12.345Z` → `enclave-residency-report-20261129T085012Z.json`. */
export function signedReportFileName(format: string, generatedAt: string): string {
  const stem = format.replace(/\/v\d+$/, '');
  const stamp = generatedAt.replace(/\.\d+/, '').replace(/[-:]/g, '');
  return `${stem}-${stamp}.json`;
}
