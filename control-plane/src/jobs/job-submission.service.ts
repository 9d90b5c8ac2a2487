// Submitting a job: template and parameters checked, assets found within the project, client
// text sealed, the DAG compiled, then — in one scheduler command — the job and task rows, the
// scheduler's submission, a placement round and the task.assign messages it decides, all in one
// transaction. Idempotent per (tenant, idempotencyKey): the same request again gets the job made
// the first time (200), a different request under the same key a 409.
import {
  AuditAction,
  canonicalJson,
  check,
  ContractError,
  ErrorCode,
  type JobDetail,
  type JsonValue,
  type SubmitJobRequest,
} from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/core';
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { AuditTrail, userActor } from '../audit/audit-trail.service.ts';
import type { UserCaller } from '../auth/caller.ts';
import { conflict, notFound } from '../common/errors.ts';
import { Randomness } from '../common/randomness.ts';
import { Job } from '../database/entities/job.entity.ts';
import { Task } from '../database/entities/task.entity.ts';
import { ProjectsRepository } from '../projects/projects.repository.ts';
import { SchedulerService } from '../scheduling/scheduler.service.ts';
import { TemplateRegistry, type CompiledJob, type JobTemplate } from '../templates/index.ts';
import { assetIdsOf, compileJob, missingAsset } from './job-compiler.ts';
import { JobsRepository } from './jobs.repository.ts';
import { JobsService } from './jobs.service.ts';
import { assertAllowedPurpose } from '../privacy-evidence/no-training.ts';
import { ProcessingGate } from './processing-gate.ts';
import { Sealer } from './sealer.ts';

export const DEFAULT_PRIORITY = 50;

@Injectable()
export class JobSubmissionService {
  constructor(
    private readonly projects: ProjectsRepository,
    private readonly jobs: JobsRepository,
    private readonly views: JobsService,
    private readonly templates: TemplateRegistry,
    private readonly gate: ProcessingGate,
    private readonly sealer: Sealer,
    private readonly scheduler: SchedulerService,
    private readonly random: Randomness,
    private readonly audit: AuditTrail,
  ) {}

  /** Sets 201 (created) or 200 (the same request again) on `res`. */
  async submit(
    caller: UserCaller,
    projectId: string,
    request: SubmitJobRequest,
    res: ServerResponse,
  ): Promise<JobDetail> {
    const project = await this.projects.find(caller.scope, projectId);
    if (project === null) throw notFound('project');
    if (project.state !== 'active') throw conflict('This project is completed; it takes no new jobs.');
    // Client data has one allowed use, production (privacy §4B): a training purpose is refused.
    assertAllowedPurpose(request.purpose);
    const template = this.#template(request.template);
    const params = this.#params(template, request.params);
    const priority = request.priority ?? DEFAULT_PRIORITY;
    const fingerprint = requestFingerprint(projectId, template, request.params, priority);

    const earlier = await this.#replay(caller, request.idempotencyKey, fingerprint);
    if (earlier !== null) {
      res.statusCode = 200;
      return this.views.get(caller, earlier);
    }
    const assetIds = assetIdsOf(template, params);
    await this.gate.assertMayProcess({ caller, projectId, templateId: template.id, assetIds });
    const assets = new Map(
      (await this.jobs.assets(caller.scope, projectId, assetIds)).map((row) => [row.id, row]),
    );
    for (const id of assetIds) if (!assets.has(id)) throw missingAsset(id);
    const jobId = this.random.id();
    const sealer = await this.sealer.forProject(caller.tenantId, projectId);
    let compiled: CompiledJob;
    try {
      compiled = compileJob(template, params, assets, (field, plaintext) =>
        sealer.seal(jobId, field, plaintext),
      );
    } finally {
      sealer.close();
    }

    const created = await this.scheduler.run('submit-job', async ({ scheduler, em, now }) => {
      // Under the lock: a concurrent first submission with this key may have won meanwhile.
      const raced = await em.findOne(Job, {
        tenant: caller.tenantId,
        idempotencyKey: request.idempotencyKey,
      });
      if (raced !== null)
        return { value: sameRequestOrConflict(raced.requestFingerprint, fingerprint, raced.id), events: [] };
      const taskIds = new Map(compiled.tasks.map((t) => [t.key, this.random.id()]));
      const submitted = scheduler.submitJob({
        jobId,
        tenantId: caller.tenantId,
        priority,
        idempotencyKey: request.idempotencyKey,
        tasks: compiled.tasks.map((t) => ({
          taskId: taskIds.get(t.key)!,
          deps: t.deps.map((key) => taskIds.get(key)!),
          requirements: t.requirements,
        })),
      });
      if (!submitted.created) throw conflict('This idempotency key names another job.');
      em.create(Job, {
        id: jobId,
        tenant: caller.tenantId,
        project: projectId,
        templateId: template.id,
        templateVersion: template.version,
        title: compiled.title,
        requestFingerprint: fingerprint,
        priority,
        // The scheduler's own sequence, fingerprint and time are written by the row writer.
        seq: 0,
        idempotencyKey: request.idempotencyKey,
        fingerprint: '',
        submittedAtMs: now.getTime(),
        state: 'queued',
        faultCounts: [],
        blockedNodes: [],
        createdBy: caller.userId,
      });
      createTasks(em, compiled, jobId, caller.tenantId, taskIds, template);
      await em.flush();
      await this.audit.record(
        {
          actor: userActor(caller.userId),
          tenantId: caller.tenantId,
          action: AuditAction.JobSubmitted,
          targets: [projectId, jobId],
          details: { template: template.id },
        },
        { em },
      );
      return { value: jobId, events: submitted.events };
    });
    res.statusCode = created === jobId ? 201 : 200;
    return this.views.get(caller, created);
  }

  #template(id: string): JobTemplate {
    const template = this.templates.get(id);
    if (template === undefined) {
      throw new ContractError(ErrorCode.VALIDATION_FAILED, `There is no template "${id.slice(0, 100)}".`, [
        { path: 'body.template', message: 'unknown template (see GET /api/v1/templates)' },
      ]);
    }
    return template;
  }

  #params(template: JobTemplate, raw: unknown): unknown {
    const result = check(template.params, raw);
    if (result.success) return result.data;
    const fields = result.issues.map((i) => ({
      path: i.path === '' ? 'body.params' : `body.params.${i.path}`,
      message: i.message,
    }));
    throw new ContractError(
      ErrorCode.VALIDATION_FAILED,
      `Invalid parameters for template ${template.id}: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
      fields,
    );
  }

  async #replay(caller: UserCaller, key: string, fingerprint: string): Promise<string | null> {
    const existing = await this.jobs.findByKey(caller.scope, key);
    return existing === null
      ? null
      : sameRequestOrConflict(existing.requestFingerprint, fingerprint, existing.id);
  }
}

function sameRequestOrConflict(stored: string, fingerprint: string, jobId: string): string {
  if (stored !== fingerprint) {
    throw conflict('This idempotency key was used for a different request; use a new key for a new job.');
  }
  return jobId;
}

/** What an idempotent retry must repeat: project, template, parameters as sent, priority. */
export function requestFingerprint(
  projectId: string,
  template: JobTemplate,
  params: Record<string, unknown>,
  priority: number,
): string {
  const canonical = canonicalJson({
    projectId,
    template: template.id,
    params: params as JsonValue,
    priority,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

function createTasks(
  em: EntityManager,
  compiled: CompiledJob,
  jobId: string,
  tenantId: string,
  taskIds: ReadonlyMap<string, string>,
  template: JobTemplate,
): void {
  compiled.tasks.forEach((t, ordinal) => {
    em.create(Task, {
      id: taskIds.get(t.key)!,
      job: jobId,
      tenant: tenantId,
      ordinal,
      key: t.key,
      title: t.title,
      // Normalised by the row writer from the scheduler's view of the submission.
      deps: t.deps.map((key) => taskIds.get(key)!),
      requirements: { gpus: 0, minVramMb: 0, cpuSlots: 1, tags: [], cpuCapable: false, ...t.requirements },
      state: 'queued',
      epoch: 1,
      attempts: 0,
      failures: 0,
      notBeforeMs: 0,
      excludedNode: null,
      progress: null,
      lastFailure: null,
      work: {
        template: { id: template.id, version: template.version },
        steps: t.steps,
        inputs: t.inputs,
        outputs: t.outputs,
        sealed: t.sealed,
        timeoutMs: t.timeoutMs,
      },
      outputs: null,
      nodeId: null,
    });
  });
}
