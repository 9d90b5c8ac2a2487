// ProjectsService alone, with a strict mock of its repository: the rules (completion, 404 for
// what is not in the caller's tenant) without a database.
import { ErrorCode } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import type { AuditRecord, AuditTrail } from '../../src/audit/audit-trail.service.ts';
import type { UserCaller } from '../../src/auth/caller.ts';
import { CryptoRandomness } from '../../src/common/randomness.ts';
import type { ProjectRow } from '../../src/database/entities/project.entity.ts';
import { tenantScope } from '../../src/database/tenant-scope.ts';
import type { ProjectsRepository } from '../../src/projects/projects.repository.ts';
import { ProjectsService } from '../../src/projects/projects.service.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { strictMock } from '../support/strict-mock.ts';

const caller = { kind: 'user', userId: 'u1', scope: tenantScope('t1'), role: 'producer' } as UserCaller;
const clock = new ManualClock('2026-03-01T12:00:00Z');

function row(state: 'active' | 'completed'): ProjectRow {
  return {
    id: 'p1',
    name: 'Spot',
    state,
    createdAt: new Date('2026-02-01T00:00:00Z'),
    completedAt: state === 'completed' ? new Date('2026-02-10T00:00:00Z') : null,
    retentionExtendedUntil: null,
  } as ProjectRow;
}

describe('ProjectsService', () => {
  it('completes an active project at the current time, in the caller’s tenant', async () => {
    const project = row('active');
    let saved = 0;
    const repo = strictMock<ProjectsRepository>('ProjectsRepository', {
      find: (scope, id) => {
        expect(scope.tenantId).toBe('t1');
        expect(id).toBe('p1');
        return Promise.resolve(project);
      },
      save: () => {
        saved++;
        return Promise.resolve();
      },
    });
    const recorded: AuditRecord[] = [];
    const trail = strictMock<AuditTrail>('AuditTrail', {
      record: (record) => {
        recorded.push(record);
        return Promise.resolve({} as Awaited<ReturnType<AuditTrail['record']>>);
      },
    });
    const done = await new ProjectsService(repo, clock, new CryptoRandomness(), trail).complete(caller, 'p1');
    expect(done).toMatchObject({ state: 'completed', completedAt: '2026-03-01T12:00:00.000Z' });
    expect(saved).toBe(1);
    expect(recorded).toEqual([
      { actor: 'user:u1', tenantId: 't1', action: 'project.completed', targets: ['p1'] },
    ]);
  });

  it('refuses to complete twice, and saves nothing', async () => {
    const repo = strictMock<ProjectsRepository>('ProjectsRepository', {
      find: () => Promise.resolve(row('completed')),
    });
    await expect(
      new ProjectsService(repo, clock, new CryptoRandomness(), strictMock<AuditTrail>('AuditTrail')).complete(
        caller,
        'p1',
      ),
    ).rejects.toMatchObject({
      code: ErrorCode.CONFLICT,
    });
  });

  it('answers NOT_FOUND for a project outside the tenant', async () => {
    const repo = strictMock<ProjectsRepository>('ProjectsRepository', { find: () => Promise.resolve(null) });
    await expect(
      new ProjectsService(repo, clock, new CryptoRandomness(), strictMock<AuditTrail>('AuditTrail')).get(
        caller,
        'p9',
      ),
    ).rejects.toMatchObject({
      code: ErrorCode.NOT_FOUND,
    });
  });
});
