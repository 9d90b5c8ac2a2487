// Peak resident memory of this process *and its descendants* (the step processes: ffmpeg,
// espeak-ng, the face worker), sampled from /proc. Node's own figures cover only this process,
// and most of a video task's memory is in its children. Linux only; bench use only.
import { readFileSync, readdirSync } from 'node:fs';

function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name, which is in parentheses and may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  return byParent;
}

function rssKib(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

/** Sum of RSS over this process and all its descendants, in MiB. */
export function treeRssMib(root = process.pid): number {
  const byParent = children();
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    total += rssKib(pid);
    stack.push(...(byParent.get(pid) ?? []));
  }
  return total / 1024;
}

/** Samples the tree of `root` every `everyMs` while `work` runs; returns its result and the peak. */
export async function withPeakTreeRss<T>(
  work: () => Promise<T>,
  everyMs = 100,
  root = process.pid,
): Promise<{ result: T; peakMib: number }> {
  let peak = treeRssMib(root);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssMib(root));
  }, everyMs);
  try {
    const result = await work();
    return { result, peakMib: Math.max(peak, treeRssMib(root)) };
  } finally {
    clearInterval(timer);
  }
}
