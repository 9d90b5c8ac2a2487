// Where log lines go: stdout (journald collects it) in production, a buffer in tests that
// assert on what was (and was not) logged.
import { Injectable } from '@nestjs/common';

export abstract class LogSink {
  abstract write(line: string): void;
}

@Injectable()
export class StdoutLogSink extends LogSink {
  write(line: string): void {
    process.stdout.write(`${line}\n`);
  }
}
