// Retention for the DPO: the dry-run report (GET /api/v1/retention/report?dryRun=true: exactly
// what a real sweep would delete now — project files and the personal data of accounts closed
// longer than the account retention period — and what a hold keeps) and legal holds per
// project (place: POST …/legal-hold {reason}; release: DELETE …/legal-hold?reason=…), with each
// project's expiry from GET …/retention.
import type { Project, RetentionReport } from '@enclave/contracts';
import { useState } from 'react';
import { ApiError } from '../../api/api-error.ts';
import { api } from '../../api/client.ts';
import { useLoad } from '../../app/use-load.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorBanner, Loading } from '../common.tsx';

export function RetentionPanel() {
  const { t, formatDate } = useI18n();
  const [report, setReport] = useState<RetentionReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const projects = useLoad(() => api('listProjects', { query: { limit: '100' } }), []);
  const dryRun = async () => {
    setError(null);
    try {
      setReport(await api('retentionReport', { query: { dryRun: 'true' } }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h3>{t('dryRunReport')}</h3>
      <button type="button" className="secondary" onClick={() => void dryRun()}>
        {t('runDryRun')}
      </button>
      <ErrorBanner error={error} />
      {report && (
        <div data-testid="retention-report">
          <p className="muted">
            {t('asOf')}: {formatDate(report.asOf)}
          </p>
          {report.items.length === 0 ? (
            <p>{t('nothingDue')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('project')}</th>
                  <th scope="col">{t('expiresAt')}</th>
                  <th scope="col">{t('assets')}</th>
                  <th scope="col">{t('files')}</th>
                </tr>
              </thead>
              <tbody>
                {report.items.map((item) => (
                  <tr key={item.projectId}>
                    <td>
                      <bdi>{item.projectId}</bdi>
                    </td>
                    <td>{formatDate(item.expiresAt)}</td>
                    <td>{item.assetIds.length}</td>
                    <td>{item.files.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.held.length > 0 && (
            <p>
              {t('heldProjects')}: <bdi>{report.held.join(', ')}</bdi>
            </p>
          )}
          {report.accounts.length > 0 && (
            <p data-testid="retention-accounts">
              {t('closedAccountsDue')}: <bdi>{report.accounts.map((a) => a.userId).join(', ')}</bdi>
            </p>
          )}
          {report.heldAccounts.length > 0 && (
            <p>
              {t('heldAccounts')}: <bdi>{report.heldAccounts.join(', ')}</bdi>
            </p>
          )}
        </div>
      )}
      <h3>{t('legalHolds')}</h3>
      <ErrorBanner error={projects.error} onRetry={projects.reload} />
      {projects.data === undefined ? (
        projects.error ? null : (
          <Loading />
        )
      ) : projects.data.items.length === 0 ? (
        <p className="muted">{t('noProjects')}</p>
      ) : (
        <table data-testid="legal-holds">
          <thead>
            <tr>
              <th scope="col">{t('project')}</th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('expiresAt')}</th>
              <th scope="col">{t('legalHold')}</th>
              <th scope="col">{t('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {projects.data.items.map((p) => (
              <HoldRow key={p.projectId} project={p} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function HoldRow({ project }: { project: Project }) {
  const { t, formatDate, stateText, validation } = useI18n();
  const projectId = project.projectId;
  const retention = useLoad(() => api('getProjectRetention', { params: { projectId } }), [projectId]);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const held = retention.data?.legalHold ?? false;
  const act = async () => {
    setBusy(true);
    setError(null);
    try {
      if (held) await api('releaseLegalHold', { params: { projectId }, query: { reason } });
      else await api('placeLegalHold', { params: { projectId }, body: { reason } });
      setReason('');
      retention.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const fieldError = error instanceof ApiError ? error.fields[0]?.message : undefined;
  return (
    <tr data-project={projectId} data-held={held}>
      <td>{project.name}</td>
      <td>{stateText(project.state)}</td>
      <td>{retention.data ? formatDate(retention.data.expiresAt) : '…'}</td>
      <td>
        <span className={`badge ${held ? 'badge-held' : ''}`}>{held ? t('onHold') : t('noHold')}</span>
      </td>
      <td className="row-actions">
        <input
          aria-label={`${t('reason')}: ${project.name}`}
          aria-invalid={fieldError !== undefined}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button
          type="button"
          className="secondary"
          disabled={busy || retention.data === undefined}
          onClick={() => void act()}
        >
          {held ? t('releaseHold') : t('placeHold')}
        </button>
        {fieldError ? (
          <span className="field-error">{validation(fieldError)}</span>
        ) : (
          <ErrorBanner error={error} />
        )}
      </td>
    </tr>
  );
}
