// A labelled horizontal meter in SVG (utilisation, VRAM, temperature), and a sparkline of the
// last samples the page has seen.
export function Meter({
  value,
  max,
  label,
  text,
  warnAt,
}: {
  value: number | null;
  max: number;
  label: string;
  text: string;
  warnAt?: number;
}) {
  const fraction = value === null ? 0 : Math.max(0, Math.min(1, value / max));
  const warn = warnAt !== undefined && value !== null && value >= warnAt;
  return (
    <span
      className="meter"
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value ?? undefined}
      aria-valuetext={text}
    >
      <svg viewBox="0 0 60 8" width="60" height="8" aria-hidden="true" className="meter-svg">
        <rect x="0" y="0" width="60" height="8" rx="2" className="meter-track" />
        <rect
          x="0"
          y="0"
          width={60 * fraction}
          height="8"
          rx="2"
          className={warn ? 'meter-fill warn' : 'meter-fill'}
        />
      </svg>
      <bdi>{text}</bdi>
    </span>
  );
}

export function Sparkline({
  samples,
  max,
  label,
}: {
  samples: readonly number[];
  max: number;
  label: string;
}) {
  if (samples.length < 2) return null;
  const w = 80;
  const h = 20;
  const points = samples
    .map(
      (v, i) =>
        `${((i / (samples.length - 1)) * w).toFixed(1)},${(h - (Math.min(v, max) / max) * h).toFixed(1)}`,
    )
    .join(' ');
  return (
    <svg viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-label={label} className="sparkline">
      <polyline points={points} />
    </svg>
  );
}
