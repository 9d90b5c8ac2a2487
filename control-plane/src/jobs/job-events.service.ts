// A job's live stream: the persisted history after the client's Last-Event-ID, then every
// change as it commits. The bus is followed before the history is read, and anything already
// sent is skipped by sequence number, so nothing falls between the replay and the live part.
import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserCaller } from '../auth/caller.ts';
import { notFound } from '../common/errors.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { LiveEventBus, type JobLiveEvent } from '../live-events/live-events.bus.ts';
import { lastEventIdOf, SseStream } from '../live-events/sse-stream.ts';
import { historyEntry } from '../scheduling/job-history.writer.ts';
import { JobsRepository } from './jobs.repository.ts';

const REPLAY_PAGE = 500;

@Injectable()
export class JobEventsService {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly bus: LiveEventBus,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async stream(
    caller: UserCaller,
    jobId: string,
    lastEventId: string | undefined,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    if ((await this.jobs.find(caller.scope, jobId)) === null) throw notFound('job');
    let sent = lastEventIdOf(req, lastEventId);
    const waiting: JobLiveEvent[] = [];
    let replaying = true;
    const stream = new SseStream(req, res, this.config.ENCLAVE_SSE_KEEPALIVE_SECONDS * 1000);
    const deliver = (event: JobLiveEvent) => {
      if (event.tenantId !== caller.tenantId || event.entry.seq <= sent) return;
      sent = event.entry.seq;
      stream.send(event.entry.kind, event.entry, event.entry.seq);
    };
    stream.onClose(this.bus.onJob(jobId, (event) => (replaying ? waiting.push(event) : deliver(event))));
    stream.onClose(this.bus.onShutdown(() => stream.close()));
    for (;;) {
      const page = await this.jobs.history(caller.scope, jobId, {
        afterSeq: sent,
        withProgress: true,
        limit: REPLAY_PAGE,
      });
      for (const row of page) {
        const entry = historyEntry(row);
        stream.send(entry.kind, entry, entry.seq);
        sent = entry.seq;
      }
      if (page.length < REPLAY_PAGE || stream.closed) break;
    }
    replaying = false;
    for (const event of waiting.splice(0)) deliver(event);
  }
}
