// The data-protection officer's area. The audit, retention and data-subject routes are being
// added to the contract; this page shows what this build of the route table actually offers
// (to the caller's role) and says "not available yet" for the rest instead of faking a screen.
// Read-only routes without parameters can be loaded and shown as a table.
import type { RouteSpec } from '@enclave/contracts';
import { useState } from 'react';
import { callSpec, routesUnder } from '../api/client.ts';
import { useSession } from '../app/session.tsx';
import { ErrorBanner } from '../components/common.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';

const AREAS: readonly { title: MessageKey; prefixes: readonly string[] }[] = [
  { title: 'dpoQueue', prefixes: ['/api/v1/subject-requests', '/api/v1/dsr', '/api/v1/privacy'] },
  { title: 'auditLog', prefixes: ['/api/v1/audit'] },
  { title: 'retention', prefixes: ['/api/v1/retention'] },
];

export function PrivacyPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const allowed = (r: RouteSpec) =>
    r.access.kind === 'user' && user !== null && r.access.roles.includes(user.role);
  return (
    <>
      <h1>{t('privacy')}</h1>
      {AREAS.map((area) => {
        const found = area.prefixes.flatMap((p) => routesUnder(p)).filter(allowed);
        return (
          <section
            key={area.title}
            className="card"
            aria-labelledby={`area-${area.title}`}
            data-area={area.title}
          >
            <h2 id={`area-${area.title}`}>{t(area.title)}</h2>
            {found.length === 0 ? (
              <p className="muted not-available">{t('notAvailable')}</p>
            ) : (
              <>
                <p className="muted">{t('availableRoutes')}</p>
                <ul className="route-list">
                  {found.map((r) => (
                    <RouteItem key={`${r.method} ${r.path}`} route={r} />
                  ))}
                </ul>
              </>
            )}
          </section>
        );
      })}
    </>
  );
}

function RouteItem({ route }: { route: RouteSpec }) {
  const { t } = useI18n();
  const [data, setData] = useState<unknown>(undefined);
  const [error, setError] = useState<unknown>(null);
  const loadable = route.method === 'GET' && route.params === undefined && route.stream === undefined;
  const load = async () => {
    setError(null);
    try {
      setData(await callSpec(route));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <li>
      <code>
        {route.method} {route.path}
      </code>{' '}
      — {route.summary}{' '}
      {loadable && (
        <button type="button" className="secondary" onClick={() => void load()}>
          {t('load')}
        </button>
      )}
      <ErrorBanner error={error} />
      {data !== undefined && <DataTable data={data} />}
    </li>
  );
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function DataTable({ data }: { data: unknown }) {
  const items =
    typeof data === 'object' && data !== null && Array.isArray((data as { items?: unknown }).items)
      ? ((data as { items: unknown[] }).items as Record<string, unknown>[])
      : null;
  if (items === null) return <pre className="json">{JSON.stringify(data, null, 2)}</pre>;
  const keys = [...new Set(items.flatMap((i) => Object.keys(i)))].slice(0, 8);
  return (
    <table>
      <thead>
        <tr>
          {keys.map((k) => (
            <th key={k} scope="col">
              {k}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {items.map((item, i) => (
          <tr key={i}>
            {keys.map((k) => (
              <td key={k}>{cell(item[k])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
