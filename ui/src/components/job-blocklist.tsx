// The IT admin's per-job node blocklist on the job page: the nodes the job may not run on and
// the job's fault count per node (from GET …/blocklist), with block and unblock through PUT
// …/blocklist. The node id is checked with the contract's schema before sending; the page shows
// this section only to roles the route allows (can-call.ts).
import type { Blocklist } from '@enclave/contracts';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error.ts';
import { api } from '../api/client.ts';
import { useLoad } from '../app/use-load.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { blocklistEditBody, type BlocklistAction } from './blocklist-edit.ts';
import { ErrorBanner, Field, Loading } from './common.tsx';

/** Blocked nodes first, then nodes with faults, each group by id. */
function rows(list: Blocklist): { nodeId: string; blocked: boolean; faults: number }[] {
  const blocked = new Set(list.blocked);
  const ids = new Set([...list.blocked, ...Object.keys(list.failures)]);
  return [...ids]
    .map((nodeId) => ({ nodeId, blocked: blocked.has(nodeId), faults: list.failures[nodeId] ?? 0 }))
    .sort((a, b) => Number(b.blocked) - Number(a.blocked) || a.nodeId.localeCompare(b.nodeId));
}

/** `editable` is false once the job has finished: the server refuses edits then (409). */
export function JobBlocklist({ jobId, editable }: { jobId: string; editable: boolean }) {
  const { t, formatNumber } = useI18n();
  const list = useLoad(() => api('getJobBlocklist', { params: { jobId } }), [jobId]);
  // Suggestions for the input only; typing any id works without them.
  const nodes = useLoad(() => api('listNodes'), []);
  const [nodeId, setNodeId] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const edit = async (action: BlocklistAction, id: string) => {
    const check = blocklistEditBody(action, id);
    if (!check.ok) {
      setError(check.message);
      return;
    }
    setError(undefined);
    setFailure(null);
    setBusy(true);
    try {
      list.set(await api('setJobBlocklist', { params: { jobId }, body: check.body }));
      if (action === 'add') setNodeId('');
    } catch (e) {
      if (e instanceof ApiError) setError(Object.values(e.fieldsUnder('body.'))[0]);
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void edit('add', nodeId);
  };

  const data = list.data;
  return (
    <section className="card" aria-labelledby="blocklist-title" data-testid="job-blocklist">
      <h2 id="blocklist-title">{t('blocklist')}</h2>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {data === undefined ? (
        list.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <p className="muted small">{t('blocklistHint', { n: formatNumber(data.threshold) })}</p>
          <div aria-live="polite">
            {rows(data).length === 0 ? (
              <p className="muted">{t('blocklistEmpty')}</p>
            ) : (
              <table aria-labelledby="blocklist-title">
                <thead>
                  <tr>
                    <th scope="col">{t('node')}</th>
                    <th scope="col">{t('state')}</th>
                    <th scope="col">{t('faults')}</th>
                    {editable && <th scope="col">{t('actions')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {rows(data).map((r) => (
                    <tr key={r.nodeId} data-blocked-node={r.blocked ? r.nodeId : undefined}>
                      <th scope="row">
                        <bdi>{r.nodeId}</bdi>
                      </th>
                      <td>
                        {r.blocked ? <span className="badge badge-failed">{t('nodeBlocked')}</span> : '—'}
                      </td>
                      <td>{formatNumber(r.faults)}</td>
                      {editable && (
                        <td className="row-actions">
                          {r.blocked ? (
                            <button
                              type="button"
                              className="secondary"
                              disabled={busy}
                              onClick={() => void edit('remove', r.nodeId)}
                            >
                              {t('unblockNode', { node: r.nodeId })}
                            </button>
                          ) : (
                            <button
                              type="button"
                              className="danger-outline"
                              disabled={busy}
                              onClick={() => void edit('add', r.nodeId)}
                            >
                              {t('blockNode')} <bdi>{r.nodeId}</bdi>
                            </button>
                          )}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          {!editable && <p className="muted">{t('blocklistFinal')}</p>}
          {editable && (
            <form onSubmit={onSubmit} noValidate aria-labelledby="blocklist-title">
              <Field label={t('nodeToBlock')} error={error}>
                {({ id, describedBy, invalid }) => (
                  <input
                    id={id}
                    name="blockNodeId"
                    list="blocklist-nodes"
                    autoComplete="off"
                    aria-describedby={describedBy}
                    aria-invalid={invalid}
                    value={nodeId}
                    onChange={(e) => setNodeId(e.target.value)}
                  />
                )}
              </Field>
              <datalist id="blocklist-nodes">
                {(nodes.data?.items ?? [])
                  .filter((n) => !data.blocked.includes(n.nodeId))
                  .map((n) => (
                    <option key={n.nodeId} value={n.nodeId} />
                  ))}
              </datalist>
              <ErrorBanner error={failure} />
              <button type="submit" disabled={busy}>
                {t('blockNode')}
              </button>
            </form>
          )}
        </>
      )}
    </section>
  );
}
