// Small shared pieces: state badges, error and empty states, a progress bar with the ARIA
// progressbar role, and a labelled field wrapper that ties label, hint and error to its control.
import { useId, type ReactNode } from 'react';
import { errorText } from '../api/api-error.ts';
import { useI18n } from '../i18n/i18n.tsx';

export function StateBadge({ state }: { state: string }) {
  const { stateText } = useI18n();
  return (
    <span className={`badge badge-${state}`} data-state={state}>
      {stateText(state)}
    </span>
  );
}

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (error === null || error === undefined) return null;
  return (
    <div className="error-banner" role="alert">
      <span>{errorText(error)}</span>
      {onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t('loading')}
    </p>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <svg viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" className="progress-svg">
        <rect x="0" y="0" width="100" height="6" rx="3" className="progress-track" />
        <rect x="0" y="0" width={pct} height="6" rx="3" className="progress-fill" />
      </svg>
      <span className="progress-text">{pct}%</span>
    </div>
  );
}

export interface FieldProps {
  readonly label: string;
  readonly error?: string | undefined;
  readonly hint?: string | undefined;
  readonly children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

export function Field({ label, error, hint, children }: FieldProps) {
  const { validation } = useI18n();
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {hint && (
        <span id={hintId} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={errorId} className="field-error">
          {validation(error)}
        </span>
      )}
    </div>
  );
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
