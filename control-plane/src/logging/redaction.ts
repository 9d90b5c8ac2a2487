// The logger's last line of defence: values under keys that name a secret are replaced before
// a line is written. Code never puts a secret in a message or a field on purpose; this catches
// the accident (a whole request object, an error carrying headers).
export const REDACTED = '[redacted]';

const SECRET_KEY = /pass(word|phrase)?|secret|token|cookie|authori[sz]ation|session|credential|private|key$/i;
const MAX_DEPTH = 6;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redact(child, depth + 1);
  }
  return out;
}
