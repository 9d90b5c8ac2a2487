// The agent's own egress guard: every TCP/TLS connection a Node socket opens in this process
// (https to the control plane, fetch, anything a dependency does) passes through
// net.Socket.prototype.connect, which this wraps. A destination outside the policy is refused
// before any packet leaves: the socket is destroyed with EGRESS_BLOCKED and the counter
// counts it. Host names the policy does not name are resolved first and the address decides.
// librdkafka's connections are native and do not pass here; its only destinations are the
// configured bootstrap brokers. Step processes have no network at all (gpu-node's sandbox).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Socket } from 'node:net';
import type { EgressCounter } from './egress-counter.ts';
import type { EgressPolicy } from './egress-policy.ts';

export class EgressBlockedError extends Error {
  readonly code = 'EGRESS_BLOCKED';
  constructor(destination: string) {
    super(
      `egress to ${destination} refused: not an allowed destination (control plane, brokers, egressAllow)`,
    );
    this.name = 'EgressBlockedError';
  }
}

type Destination = { host: string; port: number } | { path: string };
type LookupFn = (hostname: string, options: object, callback: (...args: unknown[]) => void) => void;

interface ConnectOptions {
  host?: string;
  port?: number | string;
  path?: string;
  lookup?: LookupFn;
}

/** The options object connect() will use, and the argument list rewritten to carry it. */
function normalise(args: unknown[]): { options: ConnectOptions; args: unknown[] } {
  const [first, ...rest] = args;
  // net.connect/tls.connect pass an already normalised [options, callback] array.
  if (Array.isArray(first)) return { options: (first[0] ?? {}) as ConnectOptions, args };
  if (first !== null && typeof first === 'object') return { options: first, args };
  if (typeof first === 'string' && !/^\d+$/.test(first)) {
    const options: ConnectOptions = { path: first };
    return { options, args: [options, ...rest.filter((arg) => typeof arg === 'function')] };
  }
  const host = typeof rest[0] === 'string' ? rest[0] : undefined;
  const options: ConnectOptions = { port: first as number, ...(host === undefined ? {} : { host }) };
  return { options, args: [options, ...rest.filter((arg) => typeof arg === 'function')] };
}

function destinationOf(options: ConnectOptions): Destination {
  if (options.path) return { path: options.path };
  return { host: options.host ?? 'localhost', port: Number(options.port) };
}

export interface InstalledGuard {
  uninstall(): void;
}

let installed: InstalledGuard | null = null;

/** Wraps Socket.prototype.connect for the whole process; one guard at a time. */
export function installEgressGuard(
  policy: EgressPolicy,
  counter: EgressCounter,
  onRefused: (destination: string) => void = () => undefined,
): InstalledGuard {
  if (installed) throw new Error('an egress guard is already installed');
  // Called with the socket as `this` (apply), never detached from it.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = Socket.prototype.connect;
  const refuse = (socket: Socket, destination: string) => {
    counter.refused();
    onRefused(destination);
    process.nextTick(() => socket.destroy(new EgressBlockedError(destination)));
  };
  const countSent = (socket: Socket) => socket.once('close', () => counter.sent(socket.bytesWritten));

  function guardedConnect(this: Socket, ...raw: unknown[]): Socket {
    const { options, args } = normalise(raw);
    const destination = destinationOf(options);
    if ('path' in destination) return original.apply(this, args as Parameters<typeof original>);
    const label = `${destination.host}:${destination.port}`;
    const verdict = policy.check(destination.host, destination.port);
    if (verdict === 'deny') {
      refuse(this, label);
      return this;
    }
    if (verdict === 'resolve') {
      const inner: LookupFn = options.lookup ?? dnsLookup;
      options.lookup = (hostname, lookupOptions, callback) =>
        inner(hostname, lookupOptions, (error: unknown, address: unknown, family: unknown) => {
          if (error) {
            callback(error);
            return;
          }
          const all = Array.isArray(address) ? (address as LookupAddress[]) : [{ address: String(address) }];
          const denied = all.find((entry) => !policy.allowsAddress(entry.address, destination.port));
          if (denied) {
            counter.refused();
            onRefused(`${label} (${denied.address})`);
            callback(new EgressBlockedError(`${label} (${denied.address})`));
            return;
          }
          callback(null, address, family);
        });
    }
    countSent(this);
    return original.apply(this, args as Parameters<typeof original>);
  }

  Socket.prototype.connect = guardedConnect;
  const guard: InstalledGuard = {
    uninstall() {
      Socket.prototype.connect = original;
      installed = null;
    },
  };
  installed = guard;
  return guard;
}
