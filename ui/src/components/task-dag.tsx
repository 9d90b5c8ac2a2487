// The job's task graph as SVG: columns by depth (a task sits one column after its deepest
// dependency), a box per task coloured by state with its progress, arrows from dependency to
// dependant. Mirrored for right-to-left languages.
import type { TaskSummary } from '@enclave/contracts';
import { useI18n } from '../i18n/i18n.tsx';

const W = 212;
const H = 60;
const GAP_X = 56;
const GAP_Y = 20;

export function layout(tasks: readonly TaskSummary[]): Map<string, { col: number; row: number }> {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const depth = new Map<string, number>();
  const depthOf = (key: string, seen: Set<string>): number => {
    const known = depth.get(key);
    if (known !== undefined) return known;
    if (seen.has(key)) return 0;
    seen.add(key);
    const deps = byKey.get(key)?.deps ?? [];
    const d = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((k) => depthOf(k, seen)));
    depth.set(key, d);
    return d;
  };
  const rows = new Map<number, number>();
  const out = new Map<string, { col: number; row: number }>();
  for (const t of tasks) {
    const col = depthOf(t.key, new Set());
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    out.set(t.key, { col, row });
  }
  return out;
}

export function TaskDag({ tasks }: { tasks: readonly TaskSummary[] }) {
  const { t, dir, stateText } = useI18n();
  const pos = layout(tasks);
  const cols = Math.max(1, ...[...pos.values()].map((p) => p.col + 1));
  const rows = Math.max(1, ...[...pos.values()].map((p) => p.row + 1));
  const width = cols * W + (cols - 1) * GAP_X + 16;
  const height = rows * H + (rows - 1) * GAP_Y + 16;
  const xOf = (col: number) => {
    const x = 8 + col * (W + GAP_X);
    return dir === 'rtl' ? width - x - W : x;
  };
  const yOf = (row: number) => 8 + row * (H + GAP_Y);
  return (
    <svg
      className="dag"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={t('dag')}
    >
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" className="dag-arrow" />
        </marker>
      </defs>
      {tasks.flatMap((task) =>
        task.deps.map((dep) => {
          const from = pos.get(dep);
          const to = pos.get(task.key);
          if (!from || !to) return null;
          const rtl = dir === 'rtl';
          const x1 = xOf(from.col) + (rtl ? 0 : W);
          const x2 = xOf(to.col) + (rtl ? W : 0);
          return (
            <line
              key={`${dep}->${task.key}`}
              x1={x1}
              y1={yOf(from.row) + H / 2}
              x2={x2}
              y2={yOf(to.row) + H / 2}
              className="dag-edge"
              markerEnd="url(#arrow)"
            />
          );
        }),
      )}
      {tasks.map((task) => {
        const p = pos.get(task.key);
        if (!p) return null;
        const x = xOf(p.col);
        const y = yOf(p.row);
        const fraction = task.state === 'succeeded' ? 1 : (task.progress ?? 0);
        return (
          <g
            key={task.taskId}
            className={`dag-node dag-${task.state}`}
            data-task={task.key}
            data-state={task.state}
          >
            <rect x={x} y={y} width={W} height={H} rx="8" />
            <text x={x + W / 2} y={y + 22} textAnchor="middle" className="dag-title">
              {task.title}
            </text>
            <text x={x + W / 2} y={y + 40} textAnchor="middle" className="dag-state">
              {stateText(task.state)}
            </text>
            <rect x={x + 8} y={y + H - 10} width={W - 16} height="4" rx="2" className="dag-track" />
            <rect
              x={dir === 'rtl' ? x + 8 + (W - 16) * (1 - fraction) : x + 8}
              y={y + H - 10}
              width={(W - 16) * fraction}
              height="4"
              rx="2"
              className="dag-fill"
            />
          </g>
        );
      })}
    </svg>
  );
}
