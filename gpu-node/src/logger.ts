// Logging that cannot carry client content by construction: an event is a fixed slug and the
// fields are numbers and booleans only. A script, a caption, a file's metadata or a tool's
// stderr has no way into a log line, so node logs can be shipped to the operator as they are.

export type LogFields = Readonly<Record<string, number | boolean | null>>;
export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const EVENT = /^[a-z][a-z0-9.-]{0,79}$/;

/** Events are code-defined slugs; anything else is replaced so an interpolated value cannot leak. */
export function safeEvent(event: string): string {
  return EVENT.test(event) ? event : 'invalid-event-name';
}

export interface LogRecord {
  readonly level: LogLevel;
  readonly event: string;
  readonly fields: LogFields;
}

/** A logger that hands records to `sink` (JSON lines on stderr by default). */
export function createLogger(
  sink: (record: LogRecord) => void = (record) => process.stderr.write(`${JSON.stringify(record)}\n`),
  base: LogFields = {},
): Logger {
  const emit =
    (level: LogLevel) =>
    (event: string, fields: LogFields = {}) =>
      sink({ level, event: safeEvent(event), fields: { ...base, ...fields } });
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = createLogger(() => undefined);

/** For tests and benches: collects records in memory. */
export function memoryLogger(): Logger & { readonly records: LogRecord[] } {
  const records: LogRecord[] = [];
  return Object.assign(
    createLogger((record) => records.push(record)),
    { records },
  );
}
