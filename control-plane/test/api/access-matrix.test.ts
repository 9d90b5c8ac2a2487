// Every route of the table × every role, driven by the table itself: a role the route lists
// gets its success status, any other role 403, no credential 401. Adding a route without a
// sample request below is a compile error, so the matrix cannot silently skip one.
import {
  AssetSchema,
  CreatedApiTokenSchema,
  JobDetailSchema,
  ErrorCode,
  ErrorReplySchema,
  PrivacyDecisionSchema,
  PrivacyNoticeSchema,
  BreachSchema,
  type PrivacyNotice,
  PrivacyRequestSchema,
  ProjectSchema,
  ROLES,
  routes,
  type RouteDefinition,
  type RouteName,
  type Role,
  UploadSessionSchema,
} from '@enclave/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

let t: TestAppliance;
let tenant: string;
let producerCookie: string;
let nodes = 0;
let dpoCookie: string;

beforeAll(async () => {
  t = await startTestAppliance();
  tenant = await t.createTenant('matrix');
  producerCookie = await t.login(await t.createUser(tenant, 'producer'));
  dpoCookie = await t.login(await t.createUser(tenant, 'dpo'));
});
afterAll(() => t.stop());

interface Caller {
  readonly cookie: string;
}

async function freshProject(): Promise<string> {
  const reply = await t.api({
    method: 'POST',
    path: '/api/v1/projects',
    cookie: producerCookie,
    body: { name: 'p' },
  });
  return bodyOf(reply, ProjectSchema).projectId;
}

async function freshCompletedProject(): Promise<string> {
  const projectId = await freshProject();
  const done = await t.api({
    method: 'POST',
    path: `/api/v1/projects/${projectId}/complete`,
    cookie: producerCookie,
  });
  expect(done.status).toBe(200);
  return projectId;
}

/** A queued transcode job (no node is enrolled, so it stays queued). */
async function freshJob(): Promise<string> {
  const projectId = await freshProject();
  const reply = await t.api({
    method: 'POST',
    path: `/api/v1/projects/${projectId}/jobs`,
    cookie: producerCookie,
    body: {
      template: 'transcode',
      params: { source: await t.createAsset(tenant, projectId, 'clip.mp4') },
      idempotencyKey: `matrix-${Math.random()}`,
    },
  });
  return bodyOf(reply, JobDetailSchema).jobId;
}

/** A small text asset uploaded into a fresh project. */
async function freshAsset(): Promise<string> {
  const projectId = await freshProject();
  const reply = await t.api({
    method: 'POST',
    path: `/api/v1/projects/${projectId}/assets?name=notes.txt`,
    cookie: producerCookie,
    headers: { 'content-type': 'text/plain' },
    body: 'matrix notes\n',
  });
  return bodyOf(reply, AssetSchema).assetId;
}

/** A resumable upload of a small text file, nothing sent yet: its path. */
async function freshUpload(): Promise<string> {
  const projectId = await freshProject();
  const reply = await t.api({
    method: 'POST',
    path: `/api/v1/projects/${projectId}/uploads`,
    cookie: producerCookie,
    body: { name: 'notes.txt', size: 13, contentType: 'text/plain' },
  });
  return `/api/v1/projects/${projectId}/uploads/${bodyOf(reply, UploadSessionSchema).uploadId}`;
}

async function freshNode(): Promise<string> {
  const nodeId = `matrix-node-${++nodes}`;
  await t.registerNode(nodeId);
  return nodeId;
}

async function freshTokenOf(caller: Caller): Promise<string> {
  const reply = await t.api({
    method: 'POST',
    path: '/api/v1/auth/tokens',
    cookie: caller.cookie,
    body: { name: 't' },
  });
  return reply.status === 201 ? bodyOf(reply, CreatedApiTokenSchema).tokenId : 'not-allowed-anyway';
}

/** A privacy request filed by the matrix DPO (about another fresh user, or the DPO), identity verified if asked. */
async function freshPrivacyRequest(kind: string, verified: boolean, subjectUserId?: string): Promise<string> {
  const filed = await t.api({
    method: 'POST',
    path: '/api/v1/privacy/requests',
    cookie: dpoCookie,
    body: { kind, ...(subjectUserId ? { subjectUserId } : {}) },
  });
  const requestId = bodyOf(filed, PrivacyRequestSchema).requestId;
  if (verified) {
    const checked = await t.api({
      method: 'POST',
      path: `/api/v1/privacy/requests/${requestId}/verify-identity`,
      cookie: dpoCookie,
      body: { method: 'in-person' },
    });
    expect(checked.status).toBe(200);
  }
  return requestId;
}

async function approvedPrivacyRequest(kind: string, subjectUserId?: string) {
  const requestId = await freshPrivacyRequest(kind, true, subjectUserId);
  const approved = await t.api({
    method: 'POST',
    path: `/api/v1/privacy/requests/${requestId}/approve`,
    cookie: dpoCookie,
    body: {},
  });
  return { requestId, decision: bodyOf(approved, PrivacyDecisionSchema) };
}

/** The tenant's current privacy notice, published by the matrix DPO when there is none yet. */
async function currentNotice(): Promise<PrivacyNotice> {
  const current = await t.api({ path: '/api/v1/privacy/notices/current', cookie: dpoCookie });
  if (current.status === 200) return bodyOf(current, PrivacyNoticeSchema);
  const published = await t.api({
    method: 'POST',
    path: '/api/v1/privacy/notices',
    cookie: dpoCookie,
    body: { text: 'Matrix notice.', material: true },
  });
  return bodyOf(published, PrivacyNoticeSchema);
}

function breachBody() {
  return {
    detectedAt: '2026-01-01T00:00:00.000Z',
    description: 'matrix breach',
    scope: { from: '2025-12-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' },
  };
}

async function freshBreach(): Promise<string> {
  const reply = await t.api({
    method: 'POST',
    path: '/api/v1/privacy/breaches',
    cookie: dpoCookie,
    body: breachBody(),
  });
  return bodyOf(reply, BreachSchema).breachId;
}

/** A valid request for each route, made for the given caller. */
type Sample = (caller: Caller) => Promise<{ path: string; body?: unknown; headers?: Record<string, string> }>;
const at =
  (path: string, body?: unknown): Sample =>
  () =>
    Promise.resolve({ path, body });

const samples: Record<RouteName, Sample> = {
  health: at('/api/v1/health'),
  openApiDocument: at('/api/docs'),
  login: at('/api/v1/auth/login', { email: 'nobody@example.test', password: 'x' }),
  logout: at('/api/v1/auth/logout'),
  logoutAll: at('/api/v1/auth/logout-all'),
  currentUser: at('/api/v1/auth/me'),
  createApiToken: at('/api/v1/auth/tokens', { name: 'matrix' }),
  listApiTokens: at('/api/v1/auth/tokens'),
  revokeApiToken: async (caller) => ({ path: `/api/v1/auth/tokens/${await freshTokenOf(caller)}` }),
  listProjects: at('/api/v1/projects?limit=5'),
  createProject: at('/api/v1/projects', { name: 'matrix' }),
  getProject: async () => ({ path: `/api/v1/projects/${await freshProject()}` }),
  completeProject: async () => ({ path: `/api/v1/projects/${await freshProject()}/complete` }),
  agentWhoami: at('/agent/v1/whoami'),
  agentScratchKey: at('/agent/v1/scratch-key'),
  uploadAsset: async () => ({
    path: `/api/v1/projects/${await freshProject()}/assets?name=notes.txt`,
    headers: { 'content-type': 'text/plain' },
    body: 'matrix notes\n',
  }),
  createUpload: async () => ({
    path: `/api/v1/projects/${await freshProject()}/uploads`,
    body: { name: 'notes.txt', size: 13, contentType: 'text/plain' },
  }),
  getUpload: async () => ({ path: await freshUpload() }),
  appendUpload: async () => ({
    path: `${await freshUpload()}?offset=0`,
    headers: { 'content-type': 'application/octet-stream' },
    body: 'matrix notes\n',
  }),
  abortUpload: async () => ({ path: await freshUpload() }),
  listAssets: async () => ({ path: `/api/v1/projects/${await freshProject()}/assets` }),
  getAsset: async () => ({ path: `/api/v1/assets/${await freshAsset()}` }),
  getAssetContent: async () => ({ path: `/api/v1/assets/${await freshAsset()}/content` }),
  eraseProject: async () => ({ path: `/api/v1/projects/${await freshProject()}/erase` }),
  agentTaskDataKey: at('/agent/v1/tasks/t1/data-key?epoch=1'),
  agentTaskInput: at('/agent/v1/tasks/t1/inputs/a1?epoch=1'),
  agentTaskOutput: at('/agent/v1/tasks/t1/outputs/out?epoch=1'),
  agentRenew: at('/agent/v1/renew', { csrPem: 'not a csr' }),
  listTemplates: at('/api/v1/templates'),
  submitJob: async () => {
    const projectId = await freshProject();
    const source = await t.createAsset(tenant, projectId, 'clip.mp4');
    return {
      path: `/api/v1/projects/${projectId}/jobs`,
      body: { template: 'transcode', params: { source }, idempotencyKey: `m-${Math.random()}` },
    };
  },
  listJobs: at('/api/v1/jobs?limit=5'),
  getJob: async () => ({ path: `/api/v1/jobs/${await freshJob()}` }),
  cancelJob: async () => ({ path: `/api/v1/jobs/${await freshJob()}/cancel` }),
  getJobBlocklist: async () => ({ path: `/api/v1/jobs/${await freshJob()}/blocklist` }),
  setJobBlocklist: async () => ({ path: `/api/v1/jobs/${await freshJob()}/blocklist`, body: { add: [] } }),
  jobEvents: async () => ({ path: `/api/v1/jobs/${await freshJob()}/events` }),
  createEnrollmentToken: () =>
    Promise.resolve({ path: '/api/v1/nodes/enrollment-tokens', body: { nodeId: `matrix-token-${++nodes}` } }),
  enroll: at('/api/v1/enroll', {
    token: 'enc1.not.a.token',
    csrPem: 'not a csr',
    capabilities: { gpus: [], cpuSlots: 1, tags: [] },
  }),
  listNodes: at('/api/v1/nodes'),
  nodeEvents: at('/api/v1/nodes/events'),
  nodeMetrics: async () => ({ path: `/api/v1/nodes/${await freshNode()}/metrics?minutes=30` }),
  drainNode: async () => ({ path: `/api/v1/nodes/${await freshNode()}/drain` }),
  cordonNode: async () => ({ path: `/api/v1/nodes/${await freshNode()}/cordon` }),
  activateNode: async () => ({ path: `/api/v1/nodes/${await freshNode()}/activate` }),
  revokeNode: async () => ({ path: `/api/v1/nodes/${await freshNode()}/revoke` }),
  exportAudit: at('/api/v1/audit/export'),
  verifyAudit: at('/api/v1/audit/verify'),
  checkpointAudit: at('/api/v1/audit/checkpoints'),
  getProjectRetention: async () => ({ path: `/api/v1/projects/${await freshProject()}/retention` }),
  extendRetention: async () => ({
    path: `/api/v1/projects/${await freshCompletedProject()}/retention`,
    body: { until: '2099-01-01T00:00:00.000Z', reason: 'client asked for revisions' },
  }),
  placeLegalHold: async () => ({
    path: `/api/v1/projects/${await freshProject()}/legal-hold`,
    body: { reason: 'litigation' },
  }),
  releaseLegalHold: async () => {
    const projectId = await freshProject();
    const placed = await t.api({
      method: 'POST',
      path: `/api/v1/projects/${projectId}/legal-hold`,
      cookie: dpoCookie,
      body: { reason: 'litigation' },
    });
    expect(placed.status).toBe(201);
    return { path: `/api/v1/projects/${projectId}/legal-hold?reason=settled` };
  },
  getAccountRetention: async () => ({
    path: `/api/v1/accounts/${(await t.createUser(tenant, 'client-user')).userId}/retention`,
  }),
  closeAccount: async () => ({
    path: `/api/v1/accounts/${(await t.createUser(tenant, 'client-user')).userId}/close`,
    body: { reason: 'client ended the contract' },
  }),
  closeMyAccount: at('/api/v1/privacy/my-account/close', { confirm: true }),
  placeAccountLegalHold: async () => ({
    path: `/api/v1/accounts/${(await t.createUser(tenant, 'client-user')).userId}/legal-hold`,
    body: { reason: 'litigation' },
  }),
  releaseAccountLegalHold: async () => {
    const { userId } = await t.createUser(tenant, 'client-user');
    const placed = await t.api({
      method: 'POST',
      path: `/api/v1/accounts/${userId}/legal-hold`,
      cookie: dpoCookie,
      body: { reason: 'litigation' },
    });
    expect(placed.status).toBe(201);
    return { path: `/api/v1/accounts/${userId}/legal-hold?reason=settled` };
  },
  getRetentionPolicy: at('/api/v1/retention/policy'),
  setRetentionPolicy: at('/api/v1/retention/policy', { defaultDays: 90 }),
  retentionReport: at('/api/v1/retention/report?dryRun=true'),
  runRetention: at('/api/v1/retention/run'),
  createPrivacyRequest: at('/api/v1/privacy/requests', { kind: 'access', notes: 'wants a copy' }),
  listPrivacyRequests: at('/api/v1/privacy/requests'),
  listMyPrivacyRequests: at('/api/v1/privacy/my-requests'),
  getPrivacyRequest: async () => ({
    path: `/api/v1/privacy/requests/${await freshPrivacyRequest('access', false)}`,
  }),
  verifyPrivacyIdentity: async () => ({
    path: `/api/v1/privacy/requests/${await freshPrivacyRequest('access', false)}/verify-identity`,
    body: { method: 'in-person' },
  }),
  approvePrivacyRequest: async () => ({
    path: `/api/v1/privacy/requests/${await freshPrivacyRequest('objection', true)}/approve`,
    body: {},
  }),
  rejectPrivacyRequest: async () => ({
    path: `/api/v1/privacy/requests/${await freshPrivacyRequest('rectification', false)}/reject`,
    body: { notes: 'nothing to correct' },
  }),
  liftPrivacyRestriction: async () => ({
    path: `/api/v1/privacy/requests/${(await approvedPrivacyRequest('restriction')).requestId}/lift`,
    body: {},
  }),
  getErasureCertificate: async () => {
    const subject = await t.createUser(tenant, 'client-user');
    return {
      path: `/api/v1/privacy/requests/${(await approvedPrivacyRequest('erasure', subject.userId)).requestId}/certificate`,
    };
  },
  downloadPrivacyExport: async () => {
    const { decision } = await approvedPrivacyRequest('access');
    return { path: `/api/v1/privacy/exports/${decision.export?.token ?? 'missing'}` };
  },
  minorDiscovered: async () => ({
    path: `/api/v1/privacy/minor-discovered/${(await t.createUser(tenant, 'client-user')).userId}`,
  }),
  currentPrivacyNotice: async () => {
    await currentNotice();
    return { path: '/api/v1/privacy/notices/current' };
  },
  publishPrivacyNotice: at('/api/v1/privacy/notices', { text: 'Matrix notice.', material: false }),
  recordConsent: async () => {
    const notice = await currentNotice();
    return {
      path: '/api/v1/privacy/consent',
      body: {
        noticeId: notice.noticeId,
        shownTextSha256: notice.textSha256,
        analytics: false,
        personalisation: false,
        marketing: false,
      },
    };
  },
  consentHistory: at('/api/v1/privacy/consent'),
  consentStats: at('/api/v1/privacy/consent/stats'),
  noTrainingAttestation: at('/api/v1/privacy/no-training-attestation'),
  recordsOfProcessing: at('/api/v1/privacy/records-of-processing'),
  createBreach: at('/api/v1/privacy/breaches', breachBody()),
  listBreaches: at('/api/v1/privacy/breaches'),
  updateBreachStatus: async () => ({
    path: `/api/v1/privacy/breaches/${await freshBreach()}/status`,
    body: { status: 'contained' },
  }),
  breachAffectedSubjects: async () => ({
    path: `/api/v1/privacy/breaches/${await freshBreach()}/affected-subjects`,
  }),
  residencyReport: at('/api/v1/privacy/residency-report'),
};

/** What a public route answers to its sample when the sample is, on purpose, refused. */
const publicRefusal: Partial<Record<RouteName, number>> = { login: 401, enroll: 401 };

const table = Object.values(routes) as RouteDefinition[];
const successOf = (route: RouteDefinition) =>
  route.stream ? 200 : route.response ? (route.status ?? 200) : 204;
const userRoutes = table.filter((r) => r.access.kind === 'user');

describe('role × route matrix', () => {
  for (const route of userRoutes) {
    for (const role of ROLES) {
      const access = route.access as Extract<RouteDefinition['access'], { kind: 'user' }>;
      const allowed = access.roles.includes(role);
      it(`${route.operationId} as ${role} → ${allowed ? successOf(route) : 403}`, async () => {
        const cookie = await t.login(await t.createUser(tenant, role));
        const sample = await samples[route.operationId as RouteName]({ cookie });
        const reply = await t.api({ method: route.method, ...sample, cookie });
        expect(reply.status, reply.text).toBe(allowed ? successOf(route) : 403);
        if (!allowed) expect(bodyOf(reply, ErrorReplySchema).code).toBe(ErrorCode.FORBIDDEN);
      });
    }
  }

  it.each(userRoutes.map((r) => [r.operationId, r] as const))(
    '%s without a credential → 401',
    async (_name, route) => {
      const sample = await samples[route.operationId as RouteName]({ cookie: producerCookie });
      const reply = await t.api({ method: route.method, ...sample });
      expect(reply.status).toBe(401);
      expect(bodyOf(reply, ErrorReplySchema).code).toBe(ErrorCode.UNAUTHENTICATED);
    },
  );

  it.each(userRoutes.map((r) => [r.operationId, r] as const))(
    '%s with a producer API token',
    async (_name, route) => {
      const access = route.access as Extract<RouteDefinition['access'], { kind: 'user' }>;
      const caller = { cookie: await t.login(await t.createUser(tenant, 'producer')) };
      const minted = await t.api({
        method: 'POST',
        path: '/api/v1/auth/tokens',
        cookie: caller.cookie,
        body: { name: 'm' },
      });
      const token = bodyOf(minted, CreatedApiTokenSchema).token;
      const sample = await samples[route.operationId as RouteName](caller);
      const reply = await t.api({ method: route.method, ...sample, token });
      const allowed =
        access.roles.includes('producer' satisfies Role) &&
        (access.credentials ?? ['token']).includes('token');
      expect(reply.status, reply.text).toBe(allowed ? successOf(route) : 403);
    },
  );

  it.each(table.filter((r) => r.access.kind === 'public').map((r) => [r.operationId, r] as const))(
    '%s is public',
    async (_name, route) => {
      const sample = await samples[route.operationId as RouteName]({ cookie: '' });
      const reply = await t.api({ method: route.method, ...sample });
      // login with an unknown account, enroll with an unknown token: the route's "refused" answer,
      // not an access decision
      expect(reply.status).toBe(publicRefusal[route.operationId as RouteName] ?? successOf(route));
    },
  );

  it('does not let letter case smuggle /agent onto the API listener', async () => {
    const cookie = await t.login(await t.createUser(tenant, 'it-admin'));
    for (const path of ['/AGENT/v1/whoami', '/Agent/V1/WhoAmI', '/agent/v1/whoami/']) {
      expect((await t.api({ path, cookie })).status, path).toBe(404);
    }
  });

  it.each(table.filter((r) => r.access.kind === 'node').map((r) => [r.operationId, r] as const))(
    '%s is not served on the API listener, even to an it-admin session',
    async (_name, route) => {
      const cookie = await t.login(await t.createUser(tenant, 'it-admin'));
      const reply = await t.api({
        method: route.method,
        ...(await samples[route.operationId as RouteName]({ cookie })),
        cookie,
      });
      expect(reply.status).toBe(404);
    },
  );
});
