// The DPO's queue (GET /api/v1/privacy/requests: earliest deadline first, `overdue` and `dueSoon` from the
// server) and the form to file a request for a user of the tenant (POST, subject optional).
import { PrivacyRequestKind, type PrivacyRequestDto } from '@enclave/contracts';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/api-error.ts';
import { api } from '../../api/client.ts';
import { Link } from '../../app/router.tsx';
import { useLoad } from '../../app/use-load.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorBanner, Field, Loading, StateBadge } from '../common.tsx';

export function OverdueBadge({ request }: { request: PrivacyRequestDto }) {
  const { t } = useI18n();
  if (request.dueSoon) {
    // Open and at most 7 days from its deadline (the server's first reminder threshold).
    return (
      <span className="badge badge-due-soon" data-due-soon="true">
        {t('dueSoon')}
      </span>
    );
  }
  if (!request.overdue) return null;
  return (
    <span className="badge badge-overdue" data-overdue="true">
      {t('overdue')}
    </span>
  );
}

export function RequestQueue() {
  const { t, formatDate } = useI18n();
  const queue = useLoad(() => api('listPrivacyRequests'), []);
  return (
    <>
      <ErrorBanner error={queue.error} onRetry={queue.reload} />
      {queue.data === undefined ? (
        queue.error ? null : (
          <Loading />
        )
      ) : queue.data.items.length === 0 ? (
        <p className="muted">{t('noRequests')}</p>
      ) : (
        <table data-testid="privacy-queue">
          <thead>
            <tr>
              <th scope="col">{t('request')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('subject')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('created')}</th>
              <th scope="col">{t('deadline')}</th>
            </tr>
          </thead>
          <tbody>
            {queue.data.items.map((r) => (
              <tr key={r.requestId} data-request={r.requestId}>
                <td>
                  <Link to={`/privacy/requests/${r.requestId}`}>
                    <bdi>{r.requestId}</bdi>
                  </Link>
                </td>
                <td>
                  <StateBadge state={r.kind} />
                </td>
                <td>
                  <bdi>{r.subjectUserId}</bdi>
                </td>
                <td>
                  <StateBadge state={r.status} />
                </td>
                <td>{formatDate(r.createdAt)}</td>
                <td>
                  {formatDate(r.deadlineAt)} <OverdueBadge request={r} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FileRequestForm onFiled={queue.reload} />
    </>
  );
}

function FileRequestForm({ onFiled }: { onFiled: () => void }) {
  const { t, stateText } = useI18n();
  const [kind, setKind] = useState<PrivacyRequestKind>('erasure');
  const [subject, setSubject] = useState('');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = error instanceof ApiError ? error.fieldsUnder('body.') : {};
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('createPrivacyRequest', {
        body: {
          kind,
          ...(subject.trim() === '' ? {} : { subjectUserId: subject.trim() }),
          ...(notes.trim() === '' ? {} : { notes }),
        },
      });
      setSubject('');
      setNotes('');
      onFiled();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} aria-labelledby="file-request">
      <h3 id="file-request">{t('fileRequest')}</h3>
      <Field label={t('kind')} error={fields['kind']}>
        {({ id }) => (
          <select id={id} value={kind} onChange={(e) => setKind(e.target.value as PrivacyRequestKind)}>
            {Object.values(PrivacyRequestKind).map((k) => (
              <option key={k} value={k}>
                {stateText(k)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('subjectUserId')} hint={t('subjectHint')} error={fields['subjectUserId']}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            name="subjectUserId"
            dir="ltr"
            value={subject}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(e) => setSubject(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('notes')} error={fields['notes']}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            value={notes}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(e) => setNotes(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" disabled={busy}>
        {t('fileRequestSubmit')}
      </button>
      {!(error instanceof ApiError && error.fields.length > 0) && <ErrorBanner error={error} />}
    </form>
  );
}
