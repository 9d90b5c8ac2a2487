// One job, live: the detail from GET /api/v1/jobs/{id}, then its event stream — a job or task
// change reloads the detail (the server's view of the DAG), a progress event moves the bar at
// once. The stream closes when the job has finished. IT admins also get the job's node
// blocklist (job-blocklist.tsx).
import { Role, type JobDetail, type JobHistoryEntry } from '@enclave/contracts';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import { followStream } from '../api/events.ts';
import { roleMayCall } from '../app/can-call.ts';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { ErrorBanner, Loading, ProgressBar, StateBadge } from '../components/common.tsx';
import { JobBlocklist } from '../components/job-blocklist.tsx';
import { TaskDag } from '../components/task-dag.tsx';
import { useI18n } from '../i18n/i18n.tsx';

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

function overall(job: JobDetail): number {
  if (job.tasks.length === 0) return job.state === 'succeeded' ? 1 : 0;
  const sum = job.tasks.reduce((acc, t) => acc + (t.state === 'succeeded' ? 1 : (t.progress ?? 0)), 0);
  return sum / job.tasks.length;
}

export function JobPage({ jobId }: { jobId: string }) {
  const { t, formatDate, stateText } = useI18n();
  const { can, user } = useSession();
  const job = useLoad(() => api('getJob', { params: { jobId } }), [jobId]);
  const [live, setLive] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const setJob = useRef(job.set);
  setJob.current = job.set;
  const reload = useRef(job.reload);
  reload.current = job.reload;
  const finished = job.data !== undefined && FINISHED.has(job.data.state);

  useEffect(() => {
    if (finished) return;
    let timer: number | undefined;
    const stop = followStream(
      'jobEvents',
      { jobId },
      ['job', 'task', 'progress'],
      (event, data) => {
        const entry = data as JobHistoryEntry;
        if (event === 'progress' && entry.taskId !== null) {
          setProgress(entry.taskId, entry.progress);
          return;
        }
        // Coalesce bursts of changes into one reload.
        window.clearTimeout(timer);
        timer = window.setTimeout(() => reload.current(), 150);
      },
      setLive,
    );
    return () => {
      window.clearTimeout(timer);
      stop();
      setLive(false);
    };
  }, [jobId, finished]);

  const latest = useRef<JobDetail | undefined>(undefined);
  if (job.data !== undefined) latest.current = job.data;
  function setProgress(taskId: string, progress: number | null) {
    const current = latest.current;
    if (current === undefined) return;
    setJob.current({
      ...current,
      tasks: current.tasks.map((task) => (task.taskId === taskId ? { ...task, progress } : task)),
    });
  }

  const data = job.data ?? latest.current;
  if (data === undefined)
    return job.error ? <ErrorBanner error={job.error} onRetry={job.reload} /> : <Loading />;

  const cancel = async () => {
    try {
      setJob.current(await api('cancelJob', { params: { jobId } }));
    } catch (error) {
      setActionError(error);
    }
  };
  const byId = new Map(data.tasks.map((task) => [task.taskId, task.key]));
  return (
    <>
      <header className="page-head">
        <h1>{data.title}</h1>
        <span data-testid="job-state">
          <StateBadge state={data.state} />
        </span>
        {!finished && (
          <span className={live ? 'live on' : 'live'}>{live ? t('live') : t('reconnecting')}</span>
        )}
        <Link to={`/projects/${data.projectId}`}>{t('navProjects')}</Link>
        {can(Role.Producer, Role.ItAdmin) && !finished && (
          <button type="button" className="danger push-end" onClick={() => void cancel()}>
            {t('cancelJob')}
          </button>
        )}
      </header>
      <ErrorBanner error={actionError} />
      <section className="card" aria-labelledby="dag-title">
        <h2 id="dag-title">{t('dag')}</h2>
        <ProgressBar value={overall(data)} label={t('overall')} />
        <div className="dag-scroll">
          <TaskDag tasks={data.tasks} />
        </div>
      </section>
      <section className="card" aria-labelledby="tasks-title">
        <h2 id="tasks-title">{t('tasks')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('task')}</th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('node')}</th>
              <th scope="col">{t('epoch')}</th>
              <th scope="col">{t('attempts')}</th>
              <th scope="col">{t('progress')}</th>
            </tr>
          </thead>
          <tbody>
            {data.tasks.map((task) => (
              <tr key={task.taskId} data-task-row={task.key}>
                <td>{task.title}</td>
                <td>
                  <StateBadge state={task.state} />
                </td>
                <td>
                  <bdi>{task.nodeId ?? '—'}</bdi>
                </td>
                <td>{task.epoch}</td>
                <td>{task.attempts}</td>
                <td>
                  <ProgressBar
                    value={task.state === 'succeeded' ? 1 : (task.progress ?? 0)}
                    label={`${t('progress')} ${task.title}`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {roleMayCall(user?.role, 'getJobBlocklist') && <JobBlocklist jobId={jobId} editable={!finished} />}
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">{t('history')}</h2>
        <ol className="history">
          {data.history.map((h) => (
            <li key={h.seq}>
              <time dateTime={h.at}>{formatDate(h.at)}</time>{' '}
              {h.taskId ? <bdi>{byId.get(h.taskId)}</bdi> : t('job')} →{' '}
              {h.state ? stateText(h.state) : h.kind}
              {h.nodeId ? <bdi> ({h.nodeId})</bdi> : ''}
              {h.cause && h.cause !== h.state ? ` · ${h.cause}` : ''}
              {h.code ? ` · ${h.code}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
