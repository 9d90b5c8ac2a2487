// A client user's own privacy: "Export my data" (an access request) and "Request erasure" (asks
// to confirm first), both filed for themselves with POST /api/v1/privacy/requests, and every
// request about them with its status now (GET /api/v1/privacy/my-requests: the caller's own
// requests only), reloaded after filing and every 30 s while the page is open.
import type { PrivacyRequestKind } from '@enclave/contracts';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import { useLoad } from '../app/use-load.ts';
import { ErrorBanner, Loading, StateBadge } from '../components/common.tsx';
import { useI18n } from '../i18n/i18n.tsx';

const POLL_MS = 30_000;

export function MyPrivacyPage() {
  const { t, formatDate } = useI18n();
  const mine = useLoad(() => api('listMyPrivacyRequests'), []);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reload = useRef(mine.reload);
  reload.current = mine.reload;
  useEffect(() => {
    const timer = window.setInterval(() => reload.current(), POLL_MS);
    return () => window.clearInterval(timer);
  }, []);

  const file = async (kind: PrivacyRequestKind) => {
    setBusy(true);
    setError(null);
    try {
      await api('createPrivacyRequest', { body: { kind } });
      setConfirming(false);
      mine.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const items = mine.data?.items ?? [];
  return (
    <>
      <h1>{t('myPrivacy')}</h1>
      <section className="card" aria-labelledby="my-rights">
        <h2 id="my-rights">{t('dpoQueue')}</h2>
        <p>{t('myPrivacyIntro')}</p>
        <div className="row-actions">
          <button type="button" disabled={busy} onClick={() => void file('access')}>
            {t('exportMyData')}
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => setConfirming(true)}>
            {t('requestErasure')}
          </button>
        </div>
        {confirming && (
          <div className="confirm" role="alertdialog" aria-labelledby="erasure-warning">
            <p id="erasure-warning">{t('erasureWarning')}</p>
            <div className="row-actions">
              <button type="button" className="danger" disabled={busy} onClick={() => void file('erasure')}>
                {t('confirmErasure')}
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                {t('cancel')}
              </button>
            </div>
          </div>
        )}
        <ErrorBanner error={error} />
      </section>
      <section className="card" aria-labelledby="my-requests">
        <h2 id="my-requests">{t('myRequests')}</h2>
        <p className="muted">{t('myRequestsNote')}</p>
        <ErrorBanner error={mine.error} onRetry={mine.reload} />
        {mine.data === undefined ? (
          mine.error ? null : (
            <Loading />
          )
        ) : items.length === 0 ? (
          <p className="muted">{t('noMyRequests')}</p>
        ) : (
          <table data-testid="my-requests">
            <thead>
              <tr>
                <th scope="col">{t('request')}</th>
                <th scope="col">{t('kind')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('created')}</th>
                <th scope="col">{t('deadline')}</th>
                <th scope="col">{t('finished')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.requestId} data-request={r.requestId}>
                  <td>
                    <bdi>{r.requestId}</bdi>
                  </td>
                  <td>
                    <StateBadge state={r.kind} />
                  </td>
                  <td>
                    <StateBadge state={r.status} />
                    {r.overdue && (
                      <span className="badge badge-overdue" data-overdue="true">
                        {t('overdue')}
                      </span>
                    )}
                  </td>
                  <td>{formatDate(r.createdAt)}</td>
                  <td>{formatDate(r.deadlineAt)}</td>
                  <td>
                    {formatDate(r.finishedAt)}
                    {r.certificateIssued && (
                      <div className="muted small">
                        {t('certificate')}: {t('certificateIssued')}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
