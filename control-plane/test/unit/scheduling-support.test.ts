// Small pure pieces of the scheduling layer: the mutex's order, the lock's commit/failure hooks,
// the wire names of task files, the changes a command's events imply.
import { describe, expect, it } from 'vitest';
import { AsyncMutex } from '../../src/common/async-mutex.ts';
import { wireName } from '../../src/jobs/wire-name.ts';
import { changesOf } from '../../src/scheduling/scheduler-changes.ts';
import { SchedulerLock } from '../../src/scheduling/scheduler-lock.ts';

describe('AsyncMutex', () => {
  it('hands the lock out one at a time, in arrival order', async () => {
    const mutex = new AsyncMutex();
    const order: string[] = [];
    const hold = async (name: string, ms: number) => {
      const release = await mutex.acquire();
      order.push(`${name}+`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${name}-`);
      release();
      release(); // a second release is harmless
    };
    await Promise.all([hold('a', 20), hold('b', 1), hold('c', 1)]);
    expect(order).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
  });
});

describe('SchedulerLock', () => {
  it('runs commit hooks after success and failure hooks after a throw, never both', async () => {
    const lock = new SchedulerLock();
    const seen: string[] = [];
    await lock.exclusive(() => {
      lock.held().afterCommit(() => seen.push('committed'));
      lock.held().afterFailure(() => Promise.resolve(void seen.push('failed')));
      return Promise.resolve();
    });
    await expect(
      lock.exclusive(() => {
        lock.held().afterCommit(() => seen.push('committed 2'));
        lock.held().afterFailure(() => Promise.resolve(void seen.push('failed 2')));
        return Promise.reject(new Error('boom'));
      }),
    ).rejects.toThrow('boom');
    expect(seen).toEqual(['committed', 'failed 2']);
    expect(() => lock.held()).toThrow(/outside the scheduler lock/);
  });
});

describe('wireName', () => {
  it('turns task file names into field names', () => {
    expect(wireName('still_01.jpg')).toBe('still_01');
    expect(wireName('voiceover')).toBe('voiceover');
    expect(wireName('my clip-2.final.mp4')).toBe('my_clip_2_final');
    expect(wireName('01.wav')).toBe('f_01');
  });
});

describe('changesOf', () => {
  it('collects the rows a command touched from its events and its own list', () => {
    const changes = changesOf(
      [
        { type: 'job-submitted', jobId: 'j1', tenantId: 't1' },
        { type: 'job-state', jobId: 'j2', state: 'running' },
        { type: 'node-state', nodeId: 'n1', status: 'offline' },
      ],
      { tasks: ['x'], nodes: ['n2'] },
    );
    expect([...changes.jobs].sort()).toEqual(['j1', 'j2']);
    expect([...changes.submitted]).toEqual(['j1']);
    expect([...changes.tenants]).toEqual(['t1']);
    expect([...changes.nodes].sort()).toEqual(['n1', 'n2']);
    expect([...changes.tasks]).toEqual(['x']);
  });
});
