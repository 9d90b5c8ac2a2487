// When a data-subject request earns a deadline reminder (issue #7 item 1, "configurable
// deadlines with reminders"). Pure: the reminder service stores which thresholds were already
// reminded on the request row, so each one fires once whatever the sweeps and restarts.

export const DAY_MS = 86_400_000;

/** Thresholds in the order they are reached: a week before, a day before, past the deadline. */
export const ReminderThreshold = {
  WeekBefore: '7-days',
  DayBefore: '1-day',
  Overdue: 'overdue',
} as const;
export type ReminderThreshold = (typeof ReminderThreshold)[keyof typeof ReminderThreshold];

const ORDER: readonly { threshold: ReminderThreshold; beforeMs: number }[] = [
  { threshold: ReminderThreshold.WeekBefore, beforeMs: 7 * DAY_MS },
  { threshold: ReminderThreshold.DayBefore, beforeMs: DAY_MS },
  { threshold: ReminderThreshold.Overdue, beforeMs: 0 },
];

/** Open, not yet overdue, and within the first reminder's reach of its deadline. */
export function isDueSoon(deadlineAt: Date, now: Date): boolean {
  const left = deadlineAt.getTime() - now.getTime();
  return left >= 0 && left <= 7 * DAY_MS;
}

/**
 * The reminder due now, or null. Only the most urgent threshold reached is reminded: a request
 * first seen 12 hours before its deadline gets the one-day reminder, not the week's as well.
 * Every threshold up to it counts as reminded from then on (`reached`).
 */
export function reminderDue(
  deadlineAt: Date,
  now: Date,
  alreadySent: readonly string[],
): { threshold: ReminderThreshold; reached: ReminderThreshold[] } | null {
  const left = deadlineAt.getTime() - now.getTime();
  // Overdue means strictly past the deadline (as `overdue` in the queue); the others are inclusive.
  const reached = ORDER.filter((o) => (o.beforeMs === 0 ? left < 0 : left <= o.beforeMs)).map(
    (o) => o.threshold,
  );
  const latest = reached.at(-1);
  if (latest === undefined || alreadySent.includes(latest)) return null;
  return { threshold: latest, reached };
}
