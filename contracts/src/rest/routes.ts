// The REST route table: every route the control plane serves, defined once. Handlers bind to
// these entries (`@ApiRoute(routes.login)`), a test checks each entry has exactly one handler,
// and contracts/openapi.json is generated from this table (`npm run openapi`).
import { ErrorCode } from '../error-codes.ts';
import { WhoamiSchema } from './agent.ts';
import {
  ApiTokenListSchema,
  CreateApiTokenRequestSchema,
  CreatedApiTokenSchema,
  CurrentUserSchema,
  LoginReplySchema,
  LoginRequestSchema,
  TokenIdParamsSchema,
} from './auth.ts';
import { HealthSchema, OpenApiDocumentSchema } from './health.ts';
import {
  CreateProjectRequestSchema,
  PageQuerySchema,
  ProjectIdParamsSchema,
  ProjectListSchema,
  ProjectSchema,
} from './projects.ts';
import { defineRoutes } from './route.ts';
import { Role } from './roles.ts';

const everyone = [Role.ItAdmin, Role.Producer, Role.Dpo, Role.ClientUser] as const;
const staff = [Role.ItAdmin, Role.Producer, Role.Dpo] as const;
const producers = [Role.ItAdmin, Role.Producer] as const;

export const routes = defineRoutes({
  health: {
    method: 'GET',
    path: '/api/v1/health',
    summary: 'Liveness, version and the result of the last database integrity check',
    tag: 'system',
    access: { kind: 'public' },
    response: HealthSchema,
  },
  openApiDocument: {
    method: 'GET',
    path: '/api/docs',
    summary: 'This OpenAPI 3.1 document',
    tag: 'system',
    access: { kind: 'public' },
    response: OpenApiDocumentSchema,
  },
  login: {
    method: 'POST',
    path: '/api/v1/auth/login',
    summary: 'Sign in with email and password; sets the session cookie',
    description:
      'Sets `__Host-enclave_session` (HttpOnly, Secure, SameSite=Strict, Path=/). Repeated failures lock the account for a growing time; the reply is then 429 with Retry-After.',
    tag: 'auth',
    access: { kind: 'public' },
    body: LoginRequestSchema,
    response: LoginReplySchema,
    errors: [ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN, ErrorCode.RATE_LIMITED],
  },
  logout: {
    method: 'POST',
    path: '/api/v1/auth/logout',
    summary: 'End the session (or revoke the API token) this request was made with',
    tag: 'auth',
    access: { kind: 'user', roles: everyone },
  },
  logoutAll: {
    method: 'POST',
    path: '/api/v1/auth/logout-all',
    summary: "End every session of the caller's account (API tokens are kept)",
    tag: 'auth',
    access: { kind: 'user', roles: everyone },
  },
  currentUser: {
    method: 'GET',
    path: '/api/v1/auth/me',
    summary: 'Who the caller is',
    tag: 'auth',
    access: { kind: 'user', roles: everyone },
    response: CurrentUserSchema,
  },
  createApiToken: {
    method: 'POST',
    path: '/api/v1/auth/tokens',
    summary: 'Create an API token for the CLI; the secret is returned only in this reply',
    description: 'Needs a browser session: an API token cannot mint further tokens.',
    tag: 'auth',
    access: { kind: 'user', roles: staff, credentials: ['session'] },
    body: CreateApiTokenRequestSchema,
    response: CreatedApiTokenSchema,
    status: 201,
  },
  listApiTokens: {
    method: 'GET',
    path: '/api/v1/auth/tokens',
    summary: "The caller's API tokens (never their secrets)",
    tag: 'auth',
    access: { kind: 'user', roles: staff },
    response: ApiTokenListSchema,
  },
  revokeApiToken: {
    method: 'DELETE',
    path: '/api/v1/auth/tokens/:tokenId',
    summary: 'Revoke one of the caller’s API tokens',
    tag: 'auth',
    access: { kind: 'user', roles: staff },
    params: TokenIdParamsSchema,
  },
  listProjects: {
    method: 'GET',
    path: '/api/v1/projects',
    summary: "Projects of the caller's tenant, newest first",
    tag: 'projects',
    access: { kind: 'user', roles: everyone },
    query: PageQuerySchema,
    response: ProjectListSchema,
  },
  createProject: {
    method: 'POST',
    path: '/api/v1/projects',
    summary: "Create a project in the caller's tenant",
    tag: 'projects',
    access: { kind: 'user', roles: producers },
    body: CreateProjectRequestSchema,
    response: ProjectSchema,
    status: 201,
  },
  getProject: {
    method: 'GET',
    path: '/api/v1/projects/:projectId',
    summary: 'One project',
    tag: 'projects',
    access: { kind: 'user', roles: everyone },
    params: ProjectIdParamsSchema,
    response: ProjectSchema,
  },
  completeProject: {
    method: 'POST',
    path: '/api/v1/projects/:projectId/complete',
    summary: 'Mark a project completed; its retention period starts now',
    tag: 'projects',
    access: { kind: 'user', roles: producers },
    params: ProjectIdParamsSchema,
    response: ProjectSchema,
    errors: [ErrorCode.CONFLICT],
  },
  agentWhoami: {
    method: 'GET',
    path: '/agent/v1/whoami',
    summary: 'The node identity the presented client certificate proves',
    tag: 'agent',
    access: { kind: 'node' },
    response: WhoamiSchema,
  },
});

export type Routes = typeof routes;
export type RouteName = keyof Routes;
