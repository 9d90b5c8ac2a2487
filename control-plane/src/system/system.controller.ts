// Health and the OpenAPI document: public, no tenant data. Thin: handlers hand over to SystemService.
import { routes, type Health } from '@enclave/contracts';
import { Controller } from '@nestjs/common';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { SystemService } from './system.service.ts';

@Controller()
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @ApiRoute(routes.health)
  health(): Health {
    return this.system.health();
  }

  @ApiRoute(routes.openApiDocument)
  openApi(): Record<string, unknown> {
    return this.system.openApiDocument();
  }
}
