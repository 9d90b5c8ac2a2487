// Projects routes. Thin: each handler hands over to ProjectsService.
import { routes, type Project, type RouteInput } from '@enclave/contracts';
import { Controller } from '@nestjs/common';
import type { UserCaller } from '../auth/caller.ts';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller, Input } from '../http/route-params.decorator.ts';
import { ProjectsService } from './projects.service.ts';

@Controller()
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @ApiRoute(routes.listProjects)
  list(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.listProjects>,
  ): Promise<{ items: Project[] }> {
    return this.projects.list(caller, input.query);
  }

  @ApiRoute(routes.createProject)
  create(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.createProject>,
  ): Promise<Project> {
    return this.projects.create(caller, input.body.name);
  }

  @ApiRoute(routes.getProject)
  get(@Caller() caller: UserCaller, @Input() input: RouteInput<typeof routes.getProject>): Promise<Project> {
    return this.projects.get(caller, input.params.projectId);
  }

  @ApiRoute(routes.completeProject)
  complete(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.completeProject>,
  ): Promise<Project> {
    return this.projects.complete(caller, input.params.projectId);
  }
}
