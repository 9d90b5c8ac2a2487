// The it-admin's live node stream: every node's status now, then each change as it commits.
// Node status changes are not persisted, so there is nothing to resume: a reconnecting client
// gets the current statuses again.
import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Clock } from '../common/clock.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { LiveEventBus } from '../live-events/live-events.bus.ts';
import { SseStream } from '../live-events/sse-stream.ts';
import { SchedulerService } from '../scheduling/scheduler.service.ts';

@Injectable()
export class NodeEventsService {
  constructor(
    private readonly scheduler: SchedulerService,
    private readonly bus: LiveEventBus,
    private readonly clock: Clock,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  stream(req: IncomingMessage, res: ServerResponse): void {
    const stream = new SseStream(req, res, this.config.ENCLAVE_SSE_KEEPALIVE_SECONDS * 1000);
    stream.onClose(this.bus.onNode((event) => stream.send('node', event)));
    stream.onClose(this.bus.onShutdown(() => stream.close()));
    const at = this.clock.now().toISOString();
    for (const view of this.scheduler.scheduler.listNodes()) {
      stream.send('node', { nodeId: view.nodeId, status: view.status, at });
    }
  }
}
