// Collects the JSON log lines so tests can assert on what was logged — and on what never was.
import { LogSink } from '../../src/logging/log-sink.ts';

export class MemoryLogSink extends LogSink {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  get text(): string {
    return this.lines.join('\n');
  }

  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
