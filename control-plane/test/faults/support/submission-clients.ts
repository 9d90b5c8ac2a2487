// The clients of the kill -9 fault: `concurrency` callers submit `count` single-task jobs, each
// under its own idempotency key, and — as a real client must — repeat a submission that got no
// answer (connection refused or reset, a 5xx) with the same key and body until the control
// plane answers 201 (made now) or 200 (made by an attempt whose answer was lost). Every answer
// is recorded, so a key acknowledged with two different jobs shows up as a duplicate.
import { JobDetailSchema } from '@enclave/contracts';
import type { HttpReply } from '../../support/https-client.ts';
import { bodyOf } from '../../support/https-client.ts';

export interface Submission {
  readonly key: string;
  /** Every job id the control plane answered with for this key (one when all is well). */
  readonly jobIds: Set<string>;
  requests: number;
  /** 201: made by this attempt. 200: an earlier attempt (whose answer died) had made it. */
  created: number;
  replayed: number;
}

export interface ClientFigures {
  readonly attempted: number;
  readonly acknowledged: number;
  readonly requests: number;
  /** Requests that got no HTTP answer (the process was down or died mid-request). */
  readonly transportErrors: number;
  /** 5xx answers (retried with the same key). */
  readonly serverErrors: number;
  /** Acknowledged only with 200: the attempt that made the job lost its answer in a kill. */
  readonly replayedOnly: number;
  /** Any answer other than 200/201/5xx (a 409 here means the key was misread). */
  readonly refused: number;
}

export type Post = (key: string, body: object) => Promise<HttpReply>;

export class SubmissionClients {
  readonly submissions: Submission[] = [];
  #acknowledged = 0;
  #transportErrors = 0;
  #serverErrors = 0;
  #refused = 0;
  readonly refusals: string[] = [];

  constructor(
    private readonly post: Post,
    private readonly bodyFor: (key: string) => object,
    private readonly retryDelayMs = 200,
  ) {}

  get acknowledged(): number {
    return this.#acknowledged;
  }

  /** Submits keys `<prefix>-0` … `<prefix>-<count-1>`, `concurrency` at a time; resolves when all are acknowledged. */
  async run(prefix: string, count: number, concurrency: number, deadlineMs: number): Promise<void> {
    let next = 0;
    const deadline = Date.now() + deadlineMs;
    const worker = async (): Promise<void> => {
      while (next < count) {
        const submission = this.#open(`${prefix}-${next++}`);
        await this.#untilAcknowledged(submission, deadline);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  figures(): ClientFigures {
    return {
      attempted: this.submissions.length,
      acknowledged: this.#acknowledged,
      requests: this.submissions.reduce((sum, s) => sum + s.requests, 0),
      transportErrors: this.#transportErrors,
      serverErrors: this.#serverErrors,
      replayedOnly: this.submissions.filter((s) => s.created === 0 && s.replayed > 0).length,
      refused: this.#refused,
    };
  }

  #open(key: string): Submission {
    const submission: Submission = { key, jobIds: new Set(), requests: 0, created: 0, replayed: 0 };
    this.submissions.push(submission);
    return submission;
  }

  async #untilAcknowledged(submission: Submission, deadline: number): Promise<void> {
    const body = this.bodyFor(submission.key);
    for (;;) {
      if (Date.now() > deadline) throw new Error(`submission ${submission.key} not acknowledged in time`);
      submission.requests++;
      let reply: HttpReply;
      try {
        reply = await this.post(submission.key, body);
      } catch {
        this.#transportErrors++;
        await sleep(this.retryDelayMs);
        continue;
      }
      if (reply.status === 201 || reply.status === 200) {
        submission.jobIds.add(bodyOf(reply, JobDetailSchema).jobId);
        if (reply.status === 201) submission.created++;
        else submission.replayed++;
        this.#acknowledged++;
        return;
      }
      if (reply.status >= 500) {
        this.#serverErrors++;
        await sleep(this.retryDelayMs);
        continue;
      }
      this.#refused++;
      this.refusals.push(`${submission.key}: ${reply.status} ${reply.text.slice(0, 200)}`);
      return;
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
