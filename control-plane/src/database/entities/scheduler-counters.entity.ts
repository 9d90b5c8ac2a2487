// The scheduler's two global sequence numbers (SchedulerSnapshot.jobSeq / placementSeq), in a
// single row so they are restored exactly after a restart.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const SchedulerCounters = defineEntity({
  name: 'SchedulerCounters',
  properties: {
    /** Always 1: there is one scheduler per appliance. */
    id: p.integer().primary(),
    jobSeq: p.integer().default(0),
    placementSeq: p.integer().default(0),
  },
});

export type SchedulerCountersRow = InferEntity<typeof SchedulerCounters>;
