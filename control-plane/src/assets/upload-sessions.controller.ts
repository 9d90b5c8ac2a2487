// Resumable upload routes. Thin: handlers hand over to UploadSessionsService. A piece is a raw
// byte stream (the route table's rawBody), read from the request directly.
import { routes, type RouteInput, type UploadSession } from '@enclave/contracts';
import { Controller, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserCaller } from '../auth/caller.ts';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller, Input } from '../http/route-params.decorator.ts';
import { UploadSessionsService } from './upload-sessions.service.ts';

@Controller()
export class UploadSessionsController {
  constructor(private readonly uploads: UploadSessionsService) {}

  @ApiRoute(routes.createUpload)
  create(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.createUpload>,
  ): Promise<UploadSession> {
    return this.uploads.create(caller, input.params.projectId, input.body);
  }

  /** Also answers HEAD (Express), with the offset in the Upload-Offset header. */
  @ApiRoute(routes.getUpload)
  get(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.getUpload>,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<UploadSession> {
    return this.uploads.get(caller, input.params.projectId, input.params.uploadId, res);
  }

  @ApiRoute(routes.appendUpload)
  append(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.appendUpload>,
    @Req() req: IncomingMessage,
  ): Promise<UploadSession> {
    const { projectId, uploadId } = input.params;
    return this.uploads.append(caller, projectId, uploadId, input.query.offset, req);
  }

  @ApiRoute(routes.abortUpload)
  abort(@Caller() caller: UserCaller, @Input() input: RouteInput<typeof routes.abortUpload>): Promise<void> {
    return this.uploads.abort(caller, input.params.projectId, input.params.uploadId);
  }
}
