import type { JobSummary } from '@enclave/contracts';
import { Link } from '../app/router.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { StateBadge } from './common.tsx';

export function JobsTable({ jobs, label }: { jobs: readonly JobSummary[]; label: string }) {
  const { t, formatDate } = useI18n();
  if (jobs.length === 0) return <p className="muted">{t('noJobs')}</p>;
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{t('job')}</th>
          <th scope="col">{t('template')}</th>
          <th scope="col">{t('state')}</th>
          <th scope="col">{t('priority')}</th>
          <th scope="col">{t('submitted')}</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((j) => (
          <tr key={j.jobId}>
            <td>
              <Link to={`/jobs/${j.jobId}`}>{j.title}</Link>
            </td>
            <td>
              {j.template.id} v{j.template.version}
            </td>
            <td>
              <StateBadge state={j.state} />
            </td>
            <td>{j.priority}</td>
            <td>{formatDate(j.submittedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
