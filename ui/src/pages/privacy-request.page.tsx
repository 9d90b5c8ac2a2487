// One data-subject request for the DPO: its status history, verify identity (required before
// approval), approve or reject with optional notes (sealed into the audit log by the server),
// lift a restriction in effect, and for a completed erasure the signed certificate shown as
// readable fields and as the JSON to keep. An access approval's one-time export token and key
// are shown here once, as the contract says they are shown nowhere else.
import {
  IdentityVerificationMethod,
  type ErasureCertificate,
  type PrivacyExportDelivery,
  type PrivacyRequestDto,
} from '@enclave/contracts';
import { useState, type ReactNode } from 'react';
import { api, urlOf } from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { useLoad } from '../app/use-load.ts';
import { ErrorBanner, Field, Loading, StateBadge } from '../components/common.tsx';
import { OverdueBadge } from '../components/privacy/request-queue.tsx';
import { useI18n } from '../i18n/i18n.tsx';

const OPEN: readonly PrivacyRequestDto['status'][] = ['received', 'identity-verified'];

export function PrivacyRequestPage({ requestId }: { requestId: string }) {
  const { t, formatDate } = useI18n();
  const request = useLoad(() => api('getPrivacyRequest', { params: { requestId } }), [requestId]);
  const [notes, setNotes] = useState('');
  const [method, setMethod] = useState<IdentityVerificationMethod>('signed-in-session');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [delivery, setDelivery] = useState<PrivacyExportDelivery | null>(null);

  if (request.data === undefined) {
    return request.error ? <ErrorBanner error={request.error} onRetry={request.reload} /> : <Loading />;
  }
  const r = request.data;
  const body = notes.trim() === '' ? {} : { notes };
  const act = async (call: () => Promise<PrivacyRequestDto>) => {
    setBusy(true);
    setError(null);
    try {
      request.set(await call());
      setNotes('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const params = { requestId };
  const isOpen = OPEN.includes(r.status);

  return (
    <>
      <p>
        <Link to="/privacy">{t('backToQueue')}</Link>
      </p>
      <header className="page-head">
        <h1>
          {t('request')} <bdi>{r.requestId}</bdi>
        </h1>
        <StateBadge state={r.kind} />
        <span data-testid="request-status">
          <StateBadge state={r.status} />
        </span>
        <OverdueBadge request={r} />
      </header>
      <section className="card">
        <dl className="facts">
          <dt>{t('subject')}</dt>
          <dd>
            <bdi>{r.subjectUserId}</bdi>
          </dd>
          <dt>{t('created')}</dt>
          <dd>{formatDate(r.createdAt)}</dd>
          <dt>{t('deadline')}</dt>
          <dd>{formatDate(r.deadlineAt)}</dd>
          <dt>{t('identity')}</dt>
          <dd data-testid="identity">{r.identityVerification ?? t('notVerified')}</dd>
        </dl>
        <h2>{t('history')}</h2>
        <ol className="history">
          {r.history.map((h, i) => (
            <li key={i}>
              <StateBadge state={h.status} /> {formatDate(h.at)} · <bdi>{h.by}</bdi>
            </li>
          ))}
        </ol>
      </section>
      {(isOpen || r.status === 'in-effect') && (
        <section className="card" aria-labelledby="decide">
          <h2 id="decide">{t('actions')}</h2>
          {r.status === 'received' && (
            <div className="row-actions">
              <Field label={t('verificationMethod')}>
                {({ id }) => (
                  <select
                    id={id}
                    value={method}
                    onChange={(e) => setMethod(e.target.value as IdentityVerificationMethod)}
                  >
                    {Object.values(IdentityVerificationMethod).map((m) => (
                      <option key={m} value={m}>
                        {m}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  void act(() => api('verifyPrivacyIdentity', { params, body: { method, ...body } }))
                }
              >
                {t('verifyIdentity')}
              </button>
            </div>
          )}
          <Field label={t('notes')}>
            {({ id }) => <input id={id} value={notes} onChange={(e) => setNotes(e.target.value)} />}
          </Field>
          <div className="row-actions">
            {r.status === 'identity-verified' && (
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  void act(async () => {
                    const decision = await api('approvePrivacyRequest', { params, body });
                    setDelivery(decision.export ?? null);
                    return decision.request;
                  })
                }
              >
                {t('approve')}
              </button>
            )}
            {isOpen && (
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => void act(() => api('rejectPrivacyRequest', { params, body }))}
              >
                {t('reject')}
              </button>
            )}
            {r.status === 'in-effect' && (
              <button
                type="button"
                disabled={busy}
                onClick={() => void act(() => api('liftPrivacyRestriction', { params, body }))}
              >
                {t('lift')}
              </button>
            )}
          </div>
          <ErrorBanner error={error} />
        </section>
      )}
      {delivery && <ExportDelivery delivery={delivery} />}
      {r.kind === 'erasure' && r.status === 'completed' && <Certificate requestId={r.requestId} />}
    </>
  );
}

function ExportDelivery({ delivery }: { delivery: PrivacyExportDelivery }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="export-delivery" data-testid="export-delivery">
      <h2 id="export-delivery">{t('exportDelivery')}</h2>
      <dl className="facts">
        <dt>{t('download')}</dt>
        <dd>
          <a href={urlOf('downloadPrivacyExport', { token: delivery.token })}>
            <bdi>{delivery.token}</bdi>
          </a>
        </dd>
        <dt>{t('key')}</dt>
        <dd>
          <code>{delivery.keyId}</code> <code>{delivery.key}</code>
        </dd>
        <dt>{t('type')}</dt>
        <dd>{delivery.format}</dd>
      </dl>
    </section>
  );
}

function Certificate({ requestId }: { requestId: string }) {
  const { t, formatDate, stateText } = useI18n();
  const cert = useLoad(() => api('getErasureCertificate', { params: { requestId } }), [requestId]);
  if (cert.data === undefined) {
    return cert.error ? <ErrorBanner error={cert.error} onRetry={cert.reload} /> : <Loading />;
  }
  const c: ErasureCertificate = cert.data;
  const json = JSON.stringify(c, null, 2);
  const fact = (label: string, value: ReactNode) => (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
  return (
    <section className="card" aria-labelledby="certificate" data-testid="certificate">
      <h2 id="certificate">{t('certificate')}</h2>
      <p className="muted">{t('certificateSigned')}</p>
      <dl className="facts">
        {fact(t('erasedAt'), formatDate(c.certificate.erasedAt))}
        {fact(t('pseudonym'), <bdi>{c.certificate.subjectPseudonym}</bdi>)}
        {fact(
          t('destroyedKeys'),
          c.certificate.destroyedKeyIds.length === 0 ? (
            '—'
          ) : (
            <bdi>{c.certificate.destroyedKeyIds.join(', ')}</bdi>
          ),
        )}
        {fact(
          t('pendingNodes'),
          // Nodes whose signed erase receipt is still awaited (their orders are being re-sent).
          (c.certificate.pendingNodes ?? []).length === 0 ? (
            '—'
          ) : (
            <bdi data-testid="pending-nodes">{(c.certificate.pendingNodes ?? []).join(', ')}</bdi>
          ),
        )}
        {fact(
          t('auditAnchor'),
          <bdi>
            #{c.certificate.auditSeq} {c.certificate.auditHash.slice(0, 16)}…
          </bdi>,
        )}
      </dl>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('what')}</th>
            <th scope="col">{t('where')}</th>
            <th scope="col">{t('how')}</th>
            <th scope="col">{t('status')}</th>
          </tr>
        </thead>
        <tbody>
          {c.certificate.erased.map((e, i) => (
            <tr key={i} data-erased-status={e.status}>
              <td>{e.what}</td>
              <td>{e.where}</td>
              <td>{e.how}</td>
              <td>
                <span className={`badge badge-${e.status}`}>{stateText(e.status)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>{t('certificateJson')}</summary>
        <pre className="json" data-testid="certificate-json">
          {json}
        </pre>
      </details>
      <a
        className="button secondary"
        href={urlOf('getErasureCertificate', { requestId })}
        download={`erasure-certificate-${requestId}.json`}
        data-testid="certificate-link"
      >
        {t('download')} (JSON)
      </a>
    </section>
  );
}
