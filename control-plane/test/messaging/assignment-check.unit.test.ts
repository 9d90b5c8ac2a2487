// The pure part of issue #4's fix: which matching topics an assignment misses, and that a rejoin
// is forced once per topic (a topic another group member owns cannot cause a rejoin loop).
import { describe, expect, it } from 'vitest';
import { AssignmentCheck } from '../../src/messaging/assignment-check.ts';

const topics = [
  { name: 'heartbeats.a', partitions: [0] },
  { name: 'heartbeats.b', partitions: [0, 1] },
  { name: 'jobs.a', partitions: [0] },
  { name: '__consumer_offsets', partitions: [0, 1, 2] },
  { name: 'results.c', partitions: [] }, // just created: no partitions in metadata yet
];

describe('AssignmentCheck', () => {
  it('lists matching topics with any partition unassigned, and nothing else', () => {
    const check = new AssignmentCheck(['^heartbeats\\..+', '^results\\..+']);
    expect(check.unassigned(topics, [])).toEqual(['heartbeats.a', 'heartbeats.b']);
    expect(
      check.unassigned(topics, [
        { topic: 'heartbeats.a', partition: 0 },
        { topic: 'heartbeats.b', partition: 0 },
      ]),
    ).toEqual(['heartbeats.b']);
    expect(
      check.unassigned(topics, [
        { topic: 'heartbeats.a', partition: 0 },
        { topic: 'heartbeats.b', partition: 0 },
        { topic: 'heartbeats.b', partition: 1 },
      ]),
    ).toEqual([]);
  });

  it('takes an entry without ^ as a literal topic name, as librdkafka does', () => {
    const check = new AssignmentCheck(['heartbeats.a']);
    expect(check.unassigned([...topics, { name: 'heartbeatsXa', partitions: [0] }], [])).toEqual([
      'heartbeats.a',
    ]);
  });

  it('forces a rejoin once per missing topic, and again after the topic was assigned in between', () => {
    const check = new AssignmentCheck(['^heartbeats\\..+']);
    expect(check.rejoinFor(['heartbeats.a'])).toEqual(['heartbeats.a']);
    expect(check.rejoinFor(['heartbeats.a'])).toEqual([]); // still missing: another member's
    expect(check.rejoinFor(['heartbeats.a', 'heartbeats.b'])).toEqual(['heartbeats.b']);
    expect(check.rejoinFor([])).toEqual([]);
    expect(check.rejoinFor(['heartbeats.a'])).toEqual(['heartbeats.a']);
  });
});
