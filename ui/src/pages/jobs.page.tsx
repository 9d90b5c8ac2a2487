import { api } from '../api/client.ts';
import { useLoad } from '../app/use-load.ts';
import { ErrorBanner, Loading } from '../components/common.tsx';
import { JobsTable } from '../components/jobs-table.tsx';
import { useI18n } from '../i18n/i18n.tsx';

export function JobsPage() {
  const { t } = useI18n();
  const jobs = useLoad(() => api('listJobs', { query: { limit: '200' } }), []);
  return (
    <>
      <h1>{t('jobs')}</h1>
      <ErrorBanner error={jobs.error} onRetry={jobs.reload} />
      {jobs.data ? <JobsTable jobs={jobs.data.items} label={t('jobs')} /> : <Loading />}
    </>
  );
}
