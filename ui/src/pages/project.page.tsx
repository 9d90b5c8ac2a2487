// One project: its files (upload, preview, download), job submission from templates, and its jobs.
import { Role } from '@enclave/contracts';
import { ApiError } from '../api/api-error.ts';
import { api } from '../api/client.ts';
import { listAssets } from '../api/assets.ts';
import { useSession } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { AssetsPanel } from '../components/assets-panel.tsx';
import { ErrorBanner, Loading, StateBadge } from '../components/common.tsx';
import { JobSubmit } from '../components/job-submit.tsx';
import { JobsTable } from '../components/jobs-table.tsx';
import { useI18n } from '../i18n/i18n.tsx';

export function ProjectPage({ projectId }: { projectId: string }) {
  const { t, formatDate } = useI18n();
  const { can } = useSession();
  const project = useLoad(() => api('getProject', { params: { projectId } }), [projectId]);
  const assets = useLoad(() => listAssets(projectId), [projectId]);
  const jobs = useLoad(() => api('listJobs', { query: { projectId, limit: '100' } }), [projectId]);
  const producer = can(Role.Producer, Role.ItAdmin);

  if (project.data === undefined) {
    return project.error ? <ErrorBanner error={project.error} onRetry={project.reload} /> : <Loading />;
  }
  const p = project.data;
  // 410 GONE: the project was erased (its key destroyed). That is a state, not a failure.
  const erased = assets.error instanceof ApiError && assets.error.status === 410;
  const complete = async () => {
    project.set(await api('completeProject', { params: { projectId } }));
  };
  return (
    <>
      <header className="page-head">
        <h1>{p.name}</h1>
        <StateBadge state={p.state} />
        {erased && <StateBadge state="erased" />}
        <span className="muted">
          {t('created')}: {formatDate(p.createdAt)}
        </span>
        {producer && p.state === 'active' && !erased && (
          <button type="button" className="secondary push-end" onClick={() => void complete()}>
            {t('completeProject')}
          </button>
        )}
      </header>
      {erased ? (
        <section className="card erased-state" aria-labelledby="erased-title" data-testid="project-erased">
          <h2 id="erased-title">{t('projectErased')}</h2>
          <p>{t('projectErasedText')}</p>
        </section>
      ) : (
        <div className="grid-2">
          <div>
            <ErrorBanner error={assets.error} onRetry={assets.reload} />
            <AssetsPanel
              projectId={projectId}
              assets={assets.data ?? []}
              canUpload={producer && p.state === 'active'}
              onUploaded={assets.reload}
            />
          </div>
          {producer && p.state === 'active' && <JobSubmit projectId={projectId} assets={assets.data ?? []} />}
        </div>
      )}
      <section className="card" aria-labelledby="project-jobs">
        <h2 id="project-jobs">{t('jobs')}</h2>
        <ErrorBanner error={jobs.error} onRetry={jobs.reload} />
        {jobs.data ? <JobsTable jobs={jobs.data.items} label={t('jobs')} /> : <Loading />}
      </section>
    </>
  );
}
