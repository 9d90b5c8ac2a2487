// `@InboundEvent('task.progress')`: marks a controller method as the handler of one inbound
// Kafka message type on the rdkafka transport. The type parameter catches a misspelt type at
// compile time; the start-up check catches a missing or doubled one. (Nest 12's typed
// `@EventPattern` overload would reject a typed `@Ctx()` parameter, hence the explicit form.)
import { EventPattern } from '@nestjs/microservices';
import type { InboundMessageType } from './inbound-handlers.ts';
import { RDKAFKA_TRANSPORT } from './rdkafka.server.ts';

export function InboundEvent(type: InboundMessageType): MethodDecorator {
  return EventPattern<string>(type, RDKAFKA_TRANSPORT);
}
