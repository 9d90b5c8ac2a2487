// The breach register (PDPL Art. 9; GET /api/v1/privacy/breaches, newest first): per breach when
// it was detected, what happened, its scope, its status, and the clock to `notifyBy` (detected +
// 72 h) — time left or time past, ticking each 30 s, with the server's `overdue` badge; a status
// change (POST …/status) and the count of affected data subjects (GET …/affected-subjects:
// pseudonyms only, with the projects and jobs in scope). The form to record one is below.
import { BreachStatus, type AffectedSubjects, type BreachDto } from '@enclave/contracts';
import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { useLoad } from '../../app/use-load.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorBanner, Loading, StateBadge } from '../common.tsx';
import { BreachForm } from './breach-form.tsx';
import { notifyTimer } from './dpo-figures.ts';

const TICK_MS = 30_000;

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function BreachRegister({ canRecord }: { canRecord: boolean }) {
  const { t } = useI18n();
  const breaches = useLoad(() => api('listBreaches'), []);
  const now = useNow(TICK_MS);
  return (
    <>
      <ErrorBanner error={breaches.error} onRetry={breaches.reload} />
      {breaches.data === undefined ? (
        breaches.error ? null : (
          <Loading />
        )
      ) : breaches.data.items.length === 0 ? (
        <p className="muted">{t('noBreaches')}</p>
      ) : (
        <table data-testid="breach-register">
          <thead>
            <tr>
              <th scope="col">{t('detectedAt')}</th>
              <th scope="col">{t('description')}</th>
              <th scope="col">{t('breachScope')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('notifyBy')}</th>
              <th scope="col">{t('affectedSubjects')}</th>
            </tr>
          </thead>
          <tbody>
            {breaches.data.items.map((b) => (
              <BreachRow key={b.breachId} breach={b} now={now} onChanged={breaches.reload} />
            ))}
          </tbody>
        </table>
      )}
      {canRecord && <BreachForm onRecorded={breaches.reload} />}
    </>
  );
}

function BreachRow({ breach, now, onChanged }: { breach: BreachDto; now: number; onChanged: () => void }) {
  const { t, formatDate, stateText } = useI18n();
  const others = Object.values(BreachStatus).filter((s) => s !== breach.status);
  const [chosen, setChosen] = useState<BreachStatus>(others[0] ?? 'closed');
  // After a change the row keeps its state: never offer (or send) the status it now has.
  const next = others.includes(chosen) ? chosen : (others[0] ?? 'closed');
  const [affected, setAffected] = useState<AffectedSubjects | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const timer = notifyTimer(breach.notifyBy, breach.status, now);
  const breachId = breach.breachId;
  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const projects = breach.scope.projectIds;
  return (
    <tr data-breach={breachId} data-status={breach.status} data-overdue={breach.overdue}>
      <td>{formatDate(breach.detectedAt)}</td>
      <td>{breach.description}</td>
      <td>
        {projects === null ? t('allProjects') : t('nProjects', { n: projects.length })}
        <br />
        <span className="muted small">
          {formatDate(breach.scope.from)} – {formatDate(breach.scope.to)}
        </span>
      </td>
      <td>
        <StateBadge state={breach.status} />
        <div className="row-actions">
          <select
            aria-label={t('newStatusFor', { id: breachId })}
            value={next}
            onChange={(e) => setChosen(e.target.value as BreachStatus)}
          >
            {others.map((s) => (
              <option key={s} value={s}>
                {stateText(s)}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await api('updateBreachStatus', { params: { breachId }, body: { status: next } });
                onChanged();
              })
            }
          >
            {t('setStatus')}
          </button>
        </div>
      </td>
      <td>
        {formatDate(breach.notifyBy)}{' '}
        {breach.overdue && (
          <span className="badge badge-overdue" data-overdue="true">
            {t('overdue')}
          </span>
        )}
        {timer && (
          <div className={timer.past ? 'field-error' : 'muted'} data-testid="notify-timer" role="timer">
            {t(timer.past ? 'notifyPast' : 'notifyLeft', { h: timer.hours, m: timer.minutes })}
          </div>
        )}
      </td>
      <td>
        {affected ? (
          <div data-testid="affected-subjects">
            <span>
              {t('affectedCount', {
                n: affected.subjects.length,
                p: affected.projectsInScope,
                j: affected.jobsInScope,
              })}
            </span>
            {affected.subjects.length > 0 && (
              <details>
                <summary>{t('showPseudonyms')}</summary>
                <ul>
                  {affected.subjects.map((s) => (
                    <li key={s.subject}>
                      <bdi>{s.subject}</bdi>{' '}
                      <span className="muted">{t('subjectScope', { p: s.projects, j: s.jobs })}</span>
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </div>
        ) : (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            aria-label={t('countAffectedFor', { id: breachId })}
            onClick={() =>
              void run(async () => setAffected(await api('breachAffectedSubjects', { params: { breachId } })))
            }
          >
            {t('countAffected')}
          </button>
        )}
        <ErrorBanner error={error} />
      </td>
    </tr>
  );
}
