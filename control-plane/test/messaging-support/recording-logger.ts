// A logger that keeps its lines, so tests stay quiet and can prove what was (not) logged.
import type { MessagingLogger } from '../../src/messaging/messaging.logger.ts';

export class RecordingLogger implements MessagingLogger {
  readonly lines: string[] = [];

  log(message: string): void {
    this.lines.push(`log ${message}`);
  }

  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }

  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
}
