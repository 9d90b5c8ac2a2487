// Submitting a job: the template list from GET /api/v1/templates, the form generated from the
// chosen template's zod schema in contracts, validation with that schema before sending and
// the server's field issues (`body.params.<field>`) on the same fields after. One idempotency
// key per form, so a double submit gets the job made the first time.
import { TEMPLATE_PARAMS, type Asset, type TemplateId } from '@enclave/contracts';
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error.ts';
import { api } from '../api/client.ts';
import { navigate } from '../app/router.tsx';
import { useLoad } from '../app/use-load.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ErrorBanner, Field, Loading } from './common.tsx';
import { fieldsOf, initialValues, SchemaFields, validateWith } from './schema-form.tsx';

const isTemplateId = (id: string): id is TemplateId => Object.hasOwn(TEMPLATE_PARAMS, id);

export function JobSubmit({ projectId, assets }: { projectId: string; assets: readonly Asset[] }) {
  const { t } = useI18n();
  const templates = useLoad(() => api('listTemplates'), []);
  const [templateId, setTemplateId] = useState<TemplateId | ''>('');
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [idempotencyKey, setKey] = useState(() => crypto.randomUUID());

  const schema = templateId === '' ? null : TEMPLATE_PARAMS[templateId];
  const fields = useMemo(() => (schema ? fieldsOf(schema) : []), [schema]);

  const choose = (id: string) => {
    if (!isTemplateId(id)) {
      setTemplateId('');
      return;
    }
    setTemplateId(id);
    setValues(initialValues(fieldsOf(TEMPLATE_PARAMS[id])));
    setErrors({});
    setFailure(null);
    setKey(crypto.randomUUID());
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (schema === null || templateId === '') return;
    const checked = validateWith(schema, fields, values);
    setErrors(checked.errors);
    if (!checked.ok) return;
    setBusy(true);
    setFailure(null);
    try {
      const job = await api('submitJob', {
        params: { projectId },
        body: { template: templateId, params: checked.data, idempotencyKey },
      });
      navigate(`/jobs/${job.jobId}`);
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fieldsUnder('body.params.'));
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const current = templates.data?.items.find((x) => x.id === templateId);
  return (
    <section className="card" aria-labelledby="submit-title">
      <h2 id="submit-title">{t('submitJob')}</h2>
      <ErrorBanner error={templates.error} onRetry={templates.reload} />
      {templates.loading && templates.data === undefined ? (
        <Loading />
      ) : (
        <form onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="submit-title">
          <Field label={t('chooseTemplate')}>
            {({ id }) => (
              <select id={id} name="template" value={templateId} onChange={(e) => choose(e.target.value)}>
                <option value="">—</option>
                {templates.data?.items.map((tpl) => (
                  <option key={tpl.id} value={tpl.id}>
                    {tpl.title}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {current && <p className="muted">{current.description}</p>}
          {schema && (
            <>
              <SchemaFields
                fields={fields}
                values={values}
                errors={errors}
                assets={assets}
                onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))}
              />
              <ErrorBanner error={failure} />
              <button type="submit" disabled={busy}>
                {busy ? t('submitting') : t('submit')}
              </button>
            </>
          )}
        </form>
      )}
    </section>
  );
}
