// Live updates over the server-sent event streams of the route table (jobEvents, nodeEvents).
// EventSource reconnects by itself and resends Last-Event-ID, which the job stream resumes from;
// each event's data is parsed with the route's own streamData schema.
import { routes, type RouteSpec } from '@enclave/contracts';
import { buildUrl } from './client.ts';

type StreamRoute = 'jobEvents' | 'nodeEvents';

export function followStream(
  name: StreamRoute,
  params: Record<string, string>,
  eventNames: readonly string[],
  onData: (event: string, data: unknown) => void,
  onState?: (open: boolean) => void,
): () => void {
  const spec: RouteSpec = routes[name];
  const stream = spec.stream;
  if (stream?.kind !== 'sse') throw new Error(`${name} is not an event stream`);
  const source = new EventSource(buildUrl(spec, { params }));
  const listeners = eventNames.map((event) => {
    const listener = (e: MessageEvent<string>) => {
      const parsed = stream.streamData.safeParse(JSON.parse(e.data));
      if (parsed.success) onData(event, parsed.data);
    };
    source.addEventListener(event, listener);
    return [event, listener] as const;
  });
  source.onopen = () => onState?.(true);
  source.onerror = () => onState?.(false);
  return () => {
    for (const [event, listener] of listeners) source.removeEventListener(event, listener);
    source.close();
  };
}
