// A client user's own privacy: "Export my data" (an access request) and "Request erasure" (asks
// to confirm first), both filed for themselves with POST /api/v1/privacy/requests, and the
// requests filed from this browser. The contract gives client users no route to read requests
// back (the queue and the detail are the DPO's), so the list holds each request as the filing
// reply described it, kept in this browser's storage per user.
import type { PrivacyRequestDto, PrivacyRequestKind } from '@enclave/contracts';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { useSession } from '../app/session.tsx';
import { ErrorBanner, StateBadge } from '../components/common.tsx';
import { useI18n } from '../i18n/i18n.tsx';

interface Filed {
  readonly requestId: string;
  readonly kind: PrivacyRequestKind;
  readonly status: PrivacyRequestDto['status'];
  readonly createdAt: string;
  readonly deadlineAt: string;
}

const storageKey = (userId: string) => `enclave.myRequests.${userId}`;

function readFiled(userId: string): Filed[] {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(storageKey(userId)) ?? '[]');
    return Array.isArray(value) ? (value as Filed[]) : [];
  } catch {
    return [];
  }
}

export function MyPrivacyPage() {
  const { t, formatDate } = useI18n();
  const { user } = useSession();
  const userId = user?.userId ?? '';
  const [filed, setFiled] = useState<Filed[]>(() => readFiled(userId));
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const file = async (kind: PrivacyRequestKind) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api('createPrivacyRequest', { body: { kind } });
      const next = [
        {
          requestId: r.requestId,
          kind: r.kind,
          status: r.status,
          createdAt: r.createdAt,
          deadlineAt: r.deadlineAt,
        },
        ...filed,
      ];
      window.localStorage.setItem(storageKey(userId), JSON.stringify(next));
      setFiled(next);
      setConfirming(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

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
        {filed.length === 0 ? (
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
              </tr>
            </thead>
            <tbody>
              {filed.map((r) => (
                <tr key={r.requestId} data-request={r.requestId}>
                  <td>
                    <bdi>{r.requestId}</bdi>
                  </td>
                  <td>
                    <StateBadge state={r.kind} />
                  </td>
                  <td>
                    <StateBadge state={r.status} />
                  </td>
                  <td>{formatDate(r.createdAt)}</td>
                  <td>{formatDate(r.deadlineAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
