// Producer routes of the asset store and project erasure. Thin: handlers hand over to
// AssetsService. Uploads and downloads are raw byte streams (the route table's rawBody and
// `bytes` stream), read from and written to the request and response directly.
import { routes, type Asset, type ProjectErasure, type RouteInput } from '@enclave/contracts';
import { Controller, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserCaller } from '../auth/caller.ts';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller, Input } from '../http/route-params.decorator.ts';
import { assertAllowedPurpose } from '../privacy-evidence/no-training.ts';
import { AssetsService } from './assets.service.ts';

@Controller()
export class AssetsController {
  constructor(private readonly assets: AssetsService) {}

  @ApiRoute(routes.uploadAsset)
  upload(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.uploadAsset>,
    @Req() req: IncomingMessage,
  ): Promise<Asset> {
    return this.assets.upload(caller, input.params.projectId, input.query.name, req);
  }

  @ApiRoute(routes.listAssets)
  list(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.listAssets>,
  ): Promise<{ items: Asset[] }> {
    return this.assets.list(caller, input.params.projectId);
  }

  @ApiRoute(routes.getAsset)
  get(@Caller() caller: UserCaller, @Input() input: RouteInput<typeof routes.getAsset>): Promise<Asset> {
    return this.assets.get(caller, input.params.assetId);
  }

  @ApiRoute(routes.getAssetContent)
  content(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.getAssetContent>,
    @Res() res: ServerResponse,
  ): Promise<void> {
    assertAllowedPurpose(input.query.purpose);
    return this.assets.content(caller, input.params.assetId, res);
  }

  @ApiRoute(routes.eraseProject)
  erase(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.eraseProject>,
  ): Promise<ProjectErasure> {
    return this.assets.erase(caller, input.params.projectId);
  }
}
