// The queue's fair-share view: per project, running vs queued jobs and each project's share of
// both (fairShare in fleet-figures.ts), so an operator sees one project starving the others.
import type { JobSummary } from '@enclave/contracts';
import { useI18n } from '../i18n/i18n.tsx';
import { fairShare } from './fleet-figures.ts';

export function FairShareTable({
  jobs,
  projectNames,
}: {
  jobs: readonly JobSummary[];
  projectNames: ReadonlyMap<string, string>;
}) {
  const { t, formatNumber } = useI18n();
  const rows = fairShare(jobs);
  if (rows.length === 0) return null;
  const pct = (n: number | null) => (n === null ? '—' : `${formatNumber(n)}%`);
  return (
    <>
      <h3 id="fair-share-title">{t('fairShare')}</h3>
      <p className="muted small" id="fair-share-hint">
        {t('fairShareHint')}
      </p>
      <table aria-labelledby="fair-share-title" aria-describedby="fair-share-hint" data-testid="fair-share">
        <thead>
          <tr>
            <th scope="col">{t('project')}</th>
            <th scope="col">{t('running')}</th>
            <th scope="col">{t('queuedCount')}</th>
            <th scope="col">{t('shareOfRunning')}</th>
            <th scope="col">{t('shareOfQueued')}</th>
            <th scope="col">{t('topQueuedPriority')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.projectId} data-project={r.projectId}>
              <th scope="row">
                <bdi>{projectNames.get(r.projectId) ?? r.projectId}</bdi>
              </th>
              <td>{formatNumber(r.running)}</td>
              <td>{formatNumber(r.queued)}</td>
              <td>{pct(r.runningPct)}</td>
              <td>{pct(r.queuedPct)}</td>
              <td>{r.topQueuedPriority === null ? '—' : formatNumber(r.topQueuedPriority)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
