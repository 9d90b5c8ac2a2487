// Projects of the caller's tenant, and (producers, IT) a form to create one.
import { CreateProjectRequestSchema, Role } from '@enclave/contracts';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error.ts';
import { api } from '../api/client.ts';
import { Link, navigate } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { ErrorBanner, Field, Loading, StateBadge } from '../components/common.tsx';
import { useI18n } from '../i18n/i18n.tsx';

export function ProjectsPage() {
  const { t, formatDate } = useI18n();
  const { can } = useSession();
  const projects = useLoad(() => api('listProjects', { query: { limit: '200' } }), []);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);

  const onCreate = async (e: FormEvent) => {
    e.preventDefault();
    const check = CreateProjectRequestSchema.safeParse({ name });
    if (!check.success) {
      setError(check.error.issues[0]?.message);
      return;
    }
    setError(undefined);
    setFailure(null);
    try {
      const project = await api('createProject', { body: { name } });
      navigate(`/projects/${project.projectId}`);
    } catch (err) {
      if (err instanceof ApiError) setError(err.fieldsUnder('body.')['name']);
      setFailure(err);
    }
  };

  return (
    <>
      <h1>{t('projects')}</h1>
      {can(Role.Producer, Role.ItAdmin) && (
        <form
          className="card inline-form"
          onSubmit={(e) => void onCreate(e)}
          noValidate
          aria-label={t('newProject')}
        >
          <Field label={t('projectName')} error={error}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                name="projectName"
                aria-describedby={describedBy}
                aria-invalid={invalid}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
          <button type="submit">{t('create')}</button>
          <ErrorBanner error={failure} />
        </form>
      )}
      <ErrorBanner error={projects.error} onRetry={projects.reload} />
      {projects.loading && projects.data === undefined ? (
        <Loading />
      ) : projects.data?.items.length === 0 ? (
        <p className="muted">{t('noProjects')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('created')}</th>
            </tr>
          </thead>
          <tbody>
            {projects.data?.items.map((p) => (
              <tr key={p.projectId}>
                <td>
                  <Link to={`/projects/${p.projectId}`}>{p.name}</Link>
                </td>
                <td>
                  <StateBadge state={p.state} />
                </td>
                <td>{formatDate(p.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
