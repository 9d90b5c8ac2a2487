// Structured JSON logging: one line per event with time, level, message, the request's
// correlation id and redacted fields. It is also Nest's logger, so framework messages come out
// in the same shape. Request bodies, cookies and credentials are never passed in.
import type { LoggerService } from '@nestjs/common';
import { currentCorrelationId } from '../common/correlation.ts';
import type { LogSink } from './log-sink.ts';
import { redact } from './redaction.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Readonly<Record<string, unknown>>;

export class AppLogger implements LoggerService {
  readonly #sink: LogSink;
  readonly #min: number;
  readonly #now: () => Date;

  constructor(sink: LogSink, level: LogLevel, now: () => Date = () => new Date()) {
    this.#sink = sink;
    this.#min = RANK[level];
    this.#now = now;
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.#nest('debug', message, rest);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.#nest('info', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.#nest('warn', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.#nest('error', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.#nest('debug', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.#nest('error', message, rest);
  }

  /** The structured entry point for our own code. */
  write(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (RANK[level] < this.#min) return;
    const correlationId = currentCorrelationId();
    const line = {
      ts: this.#now().toISOString(),
      level,
      msg: message,
      ...(correlationId !== undefined ? { correlationId } : {}),
      ...(redact(fields) as Record<string, unknown>),
    };
    this.#sink.write(JSON.stringify(line));
  }

  /** Nest calls (message, ...params, context); an error's stack arrives as a string param. */
  #nest(level: LogLevel, message: unknown, rest: unknown[]): void {
    const params = [...rest];
    const context =
      params.length > 0 && typeof params.at(-1) === 'string' ? (params.pop() as string) : undefined;
    const fields: Record<string, unknown> = {};
    if (context !== undefined) fields['context'] = context;
    if (level === 'error' && typeof params[0] === 'string') fields['stack'] = params[0];
    const text =
      message instanceof Error
        ? message.message
        : typeof message === 'string'
          ? message
          : JSON.stringify(redact(message));
    this.write(level, text, fields);
  }
}
