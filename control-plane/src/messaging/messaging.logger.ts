// The logging the messaging module needs; Nest's Logger fits it. Lines carry message ids,
// types, topics, partitions and offsets only: never payloads, keys or certificate material.
import { Logger } from '@nestjs/common';

export interface MessagingLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function messagingLogger(context: string): MessagingLogger {
  return new Logger(context);
}
