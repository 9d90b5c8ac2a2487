// The messaging module's tables, for the central entity list and for test databases.
import { InboxMessage } from './inbox-message.entity.ts';
import { OutboxMessage } from './outbox-message.entity.ts';
import { OutboxOffset } from './outbox-offset.entity.ts';
import { QuarantinedMessage } from './quarantined-message.entity.ts';

export const MESSAGING_ENTITIES = [OutboxMessage, OutboxOffset, InboxMessage, QuarantinedMessage] as const;
