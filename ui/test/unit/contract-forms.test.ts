// Pure logic of the UI, in Node: forms generated from the contract's template schemas, the
// client's URL building and pre-send validation, and the DAG layout.
import { routes, TEMPLATE_PARAMS, type TaskSummary } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/api-error.ts';
import { buildUrl, callSpec, findRoute } from '../../src/api/client.ts';
import { fieldsOf, initialValues, validateWith } from '../../src/components/schema-form.tsx';
import { layout } from '../../src/components/task-dag.tsx';

describe('forms from the template schemas', () => {
  it('chooses a control per field from the zod type, with the schema defaults', () => {
    const promo = fieldsOf(TEMPLATE_PARAMS['promo-video']);
    expect(promo.map((f) => [f.name, f.kind.kind])).toEqual([
      ['title', 'text'],
      ['script', 'text'],
      ['stills', 'assets'],
      ['voice', 'choice'],
      ['anonymiseFaces', 'boolean'],
    ]);
    expect(promo.find((f) => f.name === 'script')?.kind).toEqual({ kind: 'text', multiline: true });
    expect(promo.find((f) => f.name === 'title')?.kind).toEqual({ kind: 'text', multiline: false });
    expect(promo.find((f) => f.name === 'voice')?.kind).toEqual({
      kind: 'choice',
      options: ['en-gb', 'en-us', 'ar'],
    });
    expect(initialValues(promo)).toEqual({
      title: '',
      script: '',
      stills: [],
      voice: 'en-gb',
      anonymiseFaces: true,
    });

    const transcode = fieldsOf(TEMPLATE_PARAMS.transcode);
    expect(transcode.find((f) => f.name === 'source')?.kind.kind).toBe('asset');
    expect(transcode.find((f) => f.name === 'height')?.kind).toEqual({
      kind: 'choice',
      options: [360, 480, 720, 1080],
    });
    expect(initialValues(transcode)['height']).toBe(720);
    expect(fieldsOf(TEMPLATE_PARAMS['anonymise-footage']).find((f) => f.name === 'footage')?.kind.kind).toBe(
      'asset',
    );
  });

  it("validates with the schema itself, so the messages are the server's", () => {
    const schema = TEMPLATE_PARAMS['promo-video'];
    const fields = fieldsOf(schema);
    const empty = validateWith(schema, fields, initialValues(fields));
    expect(empty.ok).toBe(false);
    expect(empty.errors).toMatchObject({
      title: 'must not be empty',
      script: 'must not be empty',
      stills: 'needs at least one still',
    });
    const filled = validateWith(schema, fields, {
      ...initialValues(fields),
      title: ' T ',
      script: 'Hello.',
      stills: ['a1'],
    });
    expect(filled).toMatchObject({ ok: true, data: { title: 'T', stills: ['a1'], voice: 'en-gb' } });
  });
});

describe('the client from the route table', () => {
  it('builds paths from the route entry, encoding parameters, with the query string', () => {
    expect(buildUrl(routes.getJob, { params: { jobId: 'j-1' } })).toBe('/api/v1/jobs/j-1');
    expect(buildUrl(routes.listJobs, { query: { projectId: 'p 1', limit: '5' } })).toBe(
      '/api/v1/jobs?projectId=p+1&limit=5',
    );
    expect(buildUrl(routes.getProject, { params: { projectId: 'a/b' } })).toBe('/api/v1/projects/a%2Fb');
    expect(() => buildUrl(routes.getJob, {})).toThrow(/jobId/);
    expect(findRoute('POST', '/api/v1/projects')).toBe(routes.createProject);
    expect(findRoute('GET', '/api/v1/nothing')).toBeUndefined();
  });

  it('refuses input the route schemas refuse before anything is sent, naming the fields as the server does', async () => {
    const error = await callSpec(routes.createProject, { body: { name: '   ' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('VALIDATION_FAILED');
    expect((error as ApiError).fieldsUnder('body.')).toEqual({ name: 'required' });
    const badId = await callSpec(routes.getJob, { params: { jobId: 'no spaces' } }).catch((e: unknown) => e);
    expect((badId as ApiError).fields[0]?.path).toBe('params.jobId');
  });
});

describe('DAG layout', () => {
  const task = (key: string, deps: string[]): TaskSummary => ({
    taskId: `t-${key}`,
    key,
    title: key,
    state: 'queued',
    epoch: 1,
    attempts: 0,
    failures: 0,
    nodeId: null,
    progress: null,
    deps,
    lastFailure: null,
  });

  it('puts a task one column after its deepest dependency', () => {
    const pos = layout([
      task('voice', []),
      task('stills', []),
      task('captions', ['voice']),
      task('render', ['captions', 'stills']),
    ]);
    expect(Object.fromEntries(pos)).toEqual({
      voice: { col: 0, row: 0 },
      stills: { col: 0, row: 1 },
      captions: { col: 1, row: 0 },
      render: { col: 2, row: 0 },
    });
  });
});
