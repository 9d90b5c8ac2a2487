// Record a personal-data breach (POST /api/v1/privacy/breaches): when it was detected (the 72 h
// notification clock starts there), what happened, its scope (ticked projects, or none = every
// project of the tenant, and the window of exposure) and its status now. The body is checked
// with the contract's CreateBreachRequestSchema before sending (the client's precheck), so the
// messages are the server's; each sits on its control.
import { BreachStatus } from '@enclave/contracts';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/api-error.ts';
import { api } from '../../api/client.ts';
import { useLoad } from '../../app/use-load.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorBanner, Field, Loading } from '../common.tsx';
import { breachBody, isoToLocalInput } from './dpo-figures.ts';

export function BreachForm({ onRecorded }: { onRecorded: () => void }) {
  const { t, stateText, validation } = useI18n();
  const projects = useLoad(() => api('listProjects', { query: { limit: '100' } }), []);
  const [detectedAt, setDetectedAt] = useState(() => isoToLocalInput(new Date().toISOString()));
  const [description, setDescription] = useState('');
  const [projectIds, setProjectIds] = useState<readonly string[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [status, setStatus] = useState<BreachStatus>('open');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [recorded, setRecorded] = useState<string | null>(null);
  const fields = error instanceof ApiError ? error.fieldsUnder('body.') : {};
  const scopeFields = error instanceof ApiError ? error.fieldsUnder('body.scope.') : {};
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setRecorded(null);
    try {
      const breach = await api('createBreach', {
        body: breachBody({ detectedAt, description, projectIds, from, to, status }),
      });
      setDescription('');
      setProjectIds([]);
      setRecorded(breach.breachId);
      onRecorded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (id: string, on: boolean) =>
    setProjectIds((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));
  return (
    <form
      onSubmit={(e) => void submit(e)}
      aria-labelledby="record-breach"
      data-testid="breach-form"
      noValidate
    >
      <h3 id="record-breach">{t('recordBreach')}</h3>
      <Field label={t('detectedAt')} hint={t('detectedHint')} error={fields['detectedAt']}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            name="detectedAt"
            type="datetime-local"
            value={detectedAt}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(e) => setDetectedAt(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('description')} error={fields['description']}>
        {({ id, describedBy, invalid }) => (
          <textarea
            id={id}
            name="description"
            rows={3}
            value={description}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      <fieldset className="field">
        <legend>{t('affectedProjects')}</legend>
        <span className="hint">{t('affectedProjectsHint')}</span>
        {projects.data === undefined ? (
          projects.error ? (
            <ErrorBanner error={projects.error} onRetry={projects.reload} />
          ) : (
            <Loading />
          )
        ) : (
          <div className="check-list">
            {projects.data.items.map((p) => (
              <label key={p.projectId}>
                <input
                  type="checkbox"
                  name="projectIds"
                  value={p.projectId}
                  checked={projectIds.includes(p.projectId)}
                  onChange={(e) => toggle(p.projectId, e.target.checked)}
                />{' '}
                {p.name}
              </label>
            ))}
          </div>
        )}
        {scopeFields['projectIds'] && (
          <span className="field-error">{validation(scopeFields['projectIds'])}</span>
        )}
      </fieldset>
      <div className="inline-form">
        <Field label={t('exposureFrom')} error={scopeFields['from']}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="from"
              type="datetime-local"
              value={from}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(e) => setFrom(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('exposureTo')} error={scopeFields['to']}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="to"
              type="datetime-local"
              value={to}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(e) => setTo(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('statusNow')} error={fields['status']}>
          {({ id }) => (
            <select id={id} value={status} onChange={(e) => setStatus(e.target.value as BreachStatus)}>
              {Object.values(BreachStatus).map((s) => (
                <option key={s} value={s}>
                  {stateText(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <button type="submit" disabled={busy}>
        {t('recordBreachSubmit')}
      </button>
      {recorded && (
        <p role="status" className="verdict verdict-ok">
          {t('breachRecorded', { id: recorded })}
        </p>
      )}
      {!(error instanceof ApiError && error.fields.length > 0) && <ErrorBanner error={error} />}
    </form>
  );
}
