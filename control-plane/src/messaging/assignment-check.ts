// Issue #4: finds topics that match the consumer's subscription but that the group left
// unassigned. With static membership (`group.instance.id`) a restarted consumer takes back the
// group's last assignment without a rebalance. librdkafka only rejoins when the set of matching
// topics changes after it joined, so a node topic created just before a crash (not yet in that
// assignment, but already there when the process comes back) is never read until some later
// rebalance. The record source compares metadata with its assignment and forces a rejoin.
import type { TopicPartitionRef } from './inbound-record-source.ts';

/** One topic of a metadata answer: its name and partition ids. */
export interface TopicListing {
  readonly name: string;
  readonly partitions: readonly number[];
}

export class AssignmentCheck {
  readonly #patterns: readonly RegExp[];
  /**
   * Topics a rejoin was already forced for and that are still not ours. A rejoin is forced once
   * per topic: in a group of several members a topic another member owns stays unassigned here
   * after the rebalance, and must not make this member rejoin again and again.
   */
  readonly #rejoinedFor = new Set<string>();

  constructor(patterns: readonly string[]) {
    // librdkafka takes a subscription entry that starts with `^` as a regex, any other as a name.
    this.#patterns = patterns.map((p) =>
      p.startsWith('^') ? new RegExp(p) : new RegExp(`^${escapeRegExp(p)}$`),
    );
  }

  /** Matching topics (sorted) with at least one partition missing from `assigned`. */
  unassigned(topics: readonly TopicListing[], assigned: readonly TopicPartitionRef[]): string[] {
    const mine = new Set(assigned.map((a) => `${a.topic}\u0000${a.partition}`));
    const missing = topics.filter(
      (t) =>
        this.#patterns.some((p) => p.test(t.name)) &&
        t.partitions.some((partition) => !mine.has(`${t.name}\u0000${partition}`)),
    );
    return missing.map((t) => t.name).sort();
  }

  /**
   * The topics that call for a rejoin now: unassigned ones no rejoin was forced for yet. They
   * are recorded as rejoined for; topics assigned again are forgotten, so a later loss counts anew.
   */
  rejoinFor(unassigned: readonly string[]): string[] {
    const missing = new Set(unassigned);
    for (const topic of this.#rejoinedFor) if (!missing.has(topic)) this.#rejoinedFor.delete(topic);
    const fresh = unassigned.filter((topic) => !this.#rejoinedFor.has(topic));
    for (const topic of fresh) this.#rejoinedFor.add(topic);
    return fresh;
  }
}

function escapeRegExp(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
