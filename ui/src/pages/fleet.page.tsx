// The IT operator's rack: every node with GPU model, VRAM, utilisation and temperature from its
// last heartbeat, heartbeat age and state, with drain / cordon / activate / revoke; one node's
// last hour as charts (node-charts.tsx); single-use enrollment tokens (shown once, with a copy
// button); and the queue (queued and running jobs, running first, then by priority) with a
// per-project fair-share table. Each node's certificate expiry, flagged once renewal is overdue.
import {
  CreateEnrollmentTokenRequestSchema,
  type EnrollmentTokenDto,
  type NodeSummary,
} from '@enclave/contracts';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error.ts';
import { api } from '../api/client.ts';
import { followStream } from '../api/events.ts';
import { useLoad } from '../app/use-load.ts';
import { CertificateCell } from '../components/certificate-cell.tsx';
import { ErrorBanner, Field, Loading, StateBadge } from '../components/common.tsx';
import { FairShareTable } from '../components/fair-share-table.tsx';
import { queueOrder } from '../components/fleet-figures.ts';
import { JobsTable } from '../components/jobs-table.tsx';
import { Meter, Sparkline } from '../components/meter.tsx';
import { NodeChartsSection } from '../components/node-charts.tsx';
import { useI18n } from '../i18n/i18n.tsx';

const POLL_MS = 5_000;
const SAMPLES = 24;

export function FleetPage() {
  const { t } = useI18n();
  const nodes = useLoad(() => api('listNodes'), []);
  const queue = useLoad(() => api('listJobs', { query: { limit: '200' } }), []);
  // Only for names in the fair-share table: a failure leaves the project ids showing.
  const projects = useLoad(() => api('listProjects', { query: { limit: '200' } }), []);
  const history = useRef(new Map<string, number[]>());
  const reload = useRef(nodes.reload);
  reload.current = nodes.reload;

  useEffect(() => {
    const timer = window.setInterval(() => {
      reload.current();
      queue.reload();
    }, POLL_MS);
    const stop = followStream('nodeEvents', {}, ['node'], () => reload.current());
    return () => {
      window.clearInterval(timer);
      stop();
    };
    // queue.reload is stable
  }, [queue.reload]);

  for (const n of nodes.data?.items ?? []) {
    const util = n.telemetry?.gpus[0]?.utilisationPct ?? n.telemetry?.cpu.utilisationPct;
    if (util === undefined || util === null) continue;
    const list = history.current.get(n.nodeId) ?? [];
    if (list.at(-1) !== util || list.length < 2) list.push(util);
    history.current.set(n.nodeId, list.slice(-SAMPLES));
  }

  const pending = queueOrder(queue.data?.items ?? []);
  const projectNames = new Map((projects.data?.items ?? []).map((p) => [p.projectId, p.name]));
  return (
    <>
      <h1>{t('fleet')}</h1>
      <section className="card" aria-labelledby="nodes-title">
        <h2 id="nodes-title">{t('nodes')}</h2>
        <ErrorBanner error={nodes.error} onRetry={nodes.reload} />
        {nodes.data === undefined ? (
          <Loading />
        ) : nodes.data.items.length === 0 ? (
          <p className="muted">{t('noNodes')}</p>
        ) : (
          <NodesTable nodes={nodes.data.items} history={history.current} onChanged={nodes.reload} />
        )}
      </section>
      {nodes.data !== undefined && nodes.data.items.length > 0 && (
        <NodeChartsSection
          nodes={nodes.data.items.map((n) => ({ nodeId: n.nodeId, gpus: n.capabilities.gpus.length }))}
        />
      )}
      <div className="grid-2">
        <EnrollmentTokens />
        <section className="card" aria-labelledby="queue-title">
          <h2 id="queue-title">{t('queue')}</h2>
          <ErrorBanner error={queue.error} onRetry={queue.reload} />
          {queue.data === undefined ? (
            <Loading />
          ) : pending.length === 0 ? (
            <p className="muted">{t('queueEmpty')}</p>
          ) : (
            <>
              <JobsTable jobs={pending} label={t('queue')} />
              <FairShareTable jobs={pending} projectNames={projectNames} />
            </>
          )}
        </section>
      </div>
    </>
  );
}

function NodesTable({
  nodes,
  history,
  onChanged,
}: {
  nodes: readonly NodeSummary[];
  history: Map<string, number[]>;
  onChanged: () => void;
}) {
  const { t, formatNumber } = useI18n();
  const [confirming, setConfirming] = useState<string | null>(null);
  // Read per render: the table re-renders on every poll, so the urgency stays current.
  const now = Date.now();
  const [failure, setFailure] = useState<unknown>(null);
  const act = async (action: 'drainNode' | 'cordonNode' | 'activateNode' | 'revokeNode', nodeId: string) => {
    setFailure(null);
    try {
      if (action === 'drainNode') await api('drainNode', { params: { nodeId } });
      else await api(action, { params: { nodeId } });
      setConfirming(null);
      onChanged();
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <>
      <ErrorBanner error={failure} />
      <table className="nodes">
        <thead>
          <tr>
            <th scope="col">{t('node')}</th>
            <th scope="col">{t('state')}</th>
            <th scope="col">{t('gpu')}</th>
            <th scope="col">{t('vram')}</th>
            <th scope="col">{t('utilisation')}</th>
            <th scope="col">{t('temperature')}</th>
            <th scope="col">{t('heartbeat')}</th>
            <th scope="col">{t('nodeCertificate')}</th>
            <th scope="col">{t('running')}</th>
            <th scope="col">{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => {
            const gpus = n.telemetry?.gpus ?? [];
            const specs = n.capabilities.gpus;
            const model = gpus[0]?.model ?? specs[0]?.model ?? null;
            const vramTotal =
              gpus.reduce((a, g) => a + g.vramTotalMb, 0) || specs.reduce((a, g) => a + g.vramMb, 0);
            const vramUsed = gpus.reduce((a, g) => a + g.vramUsedMb, 0);
            const util = gpus[0]?.utilisationPct ?? null;
            const temp = gpus.reduce<number | null>(
              (a, g) => (g.temperatureC === null ? a : Math.max(a ?? -100, g.temperatureC)),
              null,
            );
            const cpu = n.telemetry?.cpu.utilisationPct ?? null;
            const age =
              n.heartbeatAgeMs === null
                ? t('never')
                : t('secondsAgo', { n: formatNumber(Math.round(n.heartbeatAgeMs / 1000)) });
            return (
              <tr key={n.nodeId} data-node={n.nodeId}>
                <th scope="row">
                  <bdi>{n.nodeId}</bdi>
                  <div className="muted small">
                    {t('agent')} <bdi>{n.agentVersion ?? '—'}</bdi>
                  </div>
                </th>
                <td>
                  <StateBadge state={n.status} />
                </td>
                <td>
                  {model === null ? (
                    <span className="muted">{t('noGpu')}</span>
                  ) : (
                    `${specs.length || gpus.length}× ${model}`
                  )}
                </td>
                <td>
                  {vramTotal > 0 ? (
                    <Meter
                      value={vramUsed}
                      max={vramTotal}
                      label={`${t('vram')} ${n.nodeId}`}
                      text={`${formatNumber(vramUsed / 1024, { maximumFractionDigits: 1 })} / ${formatNumber(vramTotal / 1024, { maximumFractionDigits: 1 })} GiB`}
                    />
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {util !== null ? (
                    <Meter
                      value={util}
                      max={100}
                      label={`${t('gpu')} ${t('utilisation')} ${n.nodeId}`}
                      text={`${t('gpu')} ${formatNumber(util, { maximumFractionDigits: 0 })}%`}
                      warnAt={95}
                    />
                  ) : cpu !== null ? (
                    <Meter
                      value={cpu}
                      max={100}
                      label={`${t('cpu')} ${t('utilisation')} ${n.nodeId}`}
                      text={`${t('cpu')} ${formatNumber(cpu, { maximumFractionDigits: 0 })}%`}
                      warnAt={95}
                    />
                  ) : (
                    '—'
                  )}
                  <Sparkline
                    samples={history.get(n.nodeId) ?? []}
                    max={100}
                    label={`${t('utilisation')} ${n.nodeId}`}
                  />
                </td>
                <td>
                  {temp !== null ? (
                    <Meter
                      value={temp}
                      max={100}
                      label={`${t('temperature')} ${n.nodeId}`}
                      text={`${formatNumber(temp)} °C`}
                      warnAt={85}
                    />
                  ) : (
                    '—'
                  )}
                </td>
                <td>{age}</td>
                <td>
                  <CertificateCell notAfter={n.certificateNotAfter} nowMs={now} />
                </td>
                <td>{n.running.length}</td>
                <td className="row-actions">
                  {n.adminState === 'active' && (
                    <>
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => void act('drainNode', n.nodeId)}
                      >
                        {t('drain')}
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => void act('cordonNode', n.nodeId)}
                      >
                        {t('cordon')}
                      </button>
                    </>
                  )}
                  {(n.adminState === 'draining' || n.adminState === 'cordoned') && (
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => void act('activateNode', n.nodeId)}
                    >
                      {t('activate')}
                    </button>
                  )}
                  {n.adminState !== 'revoked' &&
                    (confirming === n.nodeId ? (
                      <button
                        type="button"
                        className="danger"
                        onClick={() => void act('revokeNode', n.nodeId)}
                      >
                        {t('confirmRevoke')}
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="danger-outline"
                        onClick={() => setConfirming(n.nodeId)}
                      >
                        {t('revoke')}
                      </button>
                    ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

function EnrollmentTokens() {
  const { t, formatDate } = useI18n();
  const [nodeId, setNodeId] = useState('');
  const [ttl, setTtl] = useState('24');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [created, setCreated] = useState<EnrollmentTokenDto | null>(null);
  const [copied, setCopied] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { nodeId, ttlHours: Number(ttl) };
    const check = CreateEnrollmentTokenRequestSchema.safeParse(body);
    if (!check.success) {
      const next: Record<string, string> = {};
      for (const issue of check.error.issues) next[String(issue.path[0])] ??= issue.message;
      setErrors(next);
      return;
    }
    setErrors({});
    setFailure(null);
    try {
      setCreated(await api('createEnrollmentToken', { body }));
      setCopied(false);
      setNodeId('');
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fieldsUnder('body.'));
      setFailure(error);
    }
  };
  const copy = async () => {
    if (created === null) return;
    await navigator.clipboard.writeText(created.token);
    setCopied(true);
  };
  return (
    <section className="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">{t('enrollment')}</h2>
      <form onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="tokens-title">
        <Field label={t('nodeId')} error={errors['nodeId']}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="nodeId"
              aria-describedby={describedBy}
              aria-invalid={invalid}
              value={nodeId}
              onChange={(e) => setNodeId(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('ttlHours')} error={errors['ttlHours']}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="ttlHours"
              type="number"
              min={1}
              max={168}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              value={ttl}
              onChange={(e) => setTtl(e.target.value)}
            />
          )}
        </Field>
        <ErrorBanner error={failure} />
        <button type="submit">{t('createToken')}</button>
      </form>
      {created && (
        <div className="token-once" role="status">
          <p>{t('tokenOnce')}</p>
          <code data-testid="enrollment-token">{created.token}</code>
          <p className="muted">
            {created.nodeId} · {t('expires')} {formatDate(created.expiresAt)}
          </p>
          <button type="button" className="secondary" onClick={() => void copy()}>
            {copied ? t('copied') : t('copy')}
          </button>
        </div>
      )}
    </section>
  );
}
