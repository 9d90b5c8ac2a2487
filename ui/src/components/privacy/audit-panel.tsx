// The audit log: "Verify chain" (GET /api/v1/audit/verify: hash chain and checkpoint signatures)
// and the export (GET /api/v1/audit/export, JSON lines, each parsed with the contract's
// AuditExportLineSchema) shown as a table, newest first, with a link to download the file that
// `enclave audit verify` checks offline.
import { AuditExportLineSchema, routes, type AuditEntryDto, type AuditVerifyReply } from '@enclave/contracts';
import { useState } from 'react';
import { ApiError } from '../../api/api-error.ts';
import { api, buildUrl, errorFromResponse } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorBanner } from '../common.tsx';

const SHOWN = 200;

async function loadExport(): Promise<AuditEntryDto[]> {
  let res: Response;
  try {
    res = await fetch(buildUrl(routes.exportAudit), {
      credentials: 'same-origin',
      headers: { accept: 'application/x-ndjson' },
    });
  } catch {
    throw new ApiError(
      0,
      'NETWORK',
      'The appliance could not be reached. Check the connection and try again.',
    );
  }
  if (!res.ok) throw await errorFromResponse(res);
  const entries: AuditEntryDto[] = [];
  for (const line of (await res.text()).split('\n')) {
    if (line.trim() === '') continue;
    const parsed = AuditExportLineSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new ApiError(200, 'INTERNAL', 'The audit export does not match the contract.');
    if (parsed.data.type === 'entry') entries.push(parsed.data.entry);
  }
  return entries.reverse();
}

export function AuditPanel() {
  const { t, formatDate } = useI18n();
  const [verify, setVerify] = useState<AuditVerifyReply | null>(null);
  const [entries, setEntries] = useState<AuditEntryDto[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (what: () => Promise<void>) => {
    setError(null);
    try {
      await what();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <div className="row-actions">
        <button type="button" onClick={() => void run(async () => setVerify(await api('verifyAudit')))}>
          {t('verifyChain')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => void run(async () => setEntries(await loadExport()))}
        >
          {t('loadLog')}
        </button>
        <a className="button secondary" href={buildUrl(routes.exportAudit)} download="enclave-audit.jsonl">
          {t('download')} (JSONL)
        </a>
      </div>
      <ErrorBanner error={error} />
      {verify && (
        <p
          role="status"
          data-testid="audit-verify"
          data-ok={verify.ok}
          className={verify.ok ? 'verdict verdict-ok' : 'verdict verdict-bad'}
        >
          {verify.ok
            ? t('chainOk', { n: verify.entries })
            : t('chainProblem', { seq: verify.problem?.seq ?? 0, reason: verify.problem?.reason ?? '' })}
          {verify.lastCheckpoint && (
            <span className="muted">
              {' '}
              · {t('lastCheckpoint')}: #{verify.lastCheckpoint.seq} {formatDate(verify.lastCheckpoint.time)}
            </span>
          )}
        </p>
      )}
      {entries && (
        <table data-testid="audit-entries">
          <caption className="muted">
            {t('entries')}: {entries.length}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('seq')}</th>
              <th scope="col">{t('time')}</th>
              <th scope="col">{t('actor')}</th>
              <th scope="col">{t('action')}</th>
              <th scope="col">{t('targets')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.slice(0, SHOWN).map((e) => (
              <tr key={e.seq} data-action={e.action}>
                <td>{e.seq}</td>
                <td>{formatDate(e.time)}</td>
                <td>
                  <bdi>{e.actor}</bdi>
                </td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  <bdi>{e.targets.join(', ')}</bdi>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
