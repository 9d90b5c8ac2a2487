// One mutual-TLS 1.3 connection to a broker that sends requests and matches responses by
// correlation id. Kept deliberately small: it serves the few admin APIs node-rdkafka lacks
// (ACLs), not produce or fetch. The certificate files are read at every open, so a rotated
// control-plane certificate takes effect at the next admin call.
import { readFile } from 'node:fs/promises';
import { connect, type TLSSocket } from 'node:tls';
import { MessagingError, MessagingErrorCode, errorMessage } from '../messaging.errors.ts';
import { ProtocolReader } from './protocol-reader.ts';
import { ProtocolWriter } from './protocol-writer.ts';

export interface BrokerSessionOptions {
  /** Comma-separated `host:port` list; the first that accepts the connection is used. */
  readonly bootstrap: string;
  readonly tls: { readonly ca: string; readonly chain: string; readonly key: string };
  readonly clientId: string;
  readonly timeoutMs: number;
}

interface Pending {
  resolve(body: Buffer): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** Responses larger than this are refused: ACL answers are small, a huge length is corruption. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export class BrokerSession {
  readonly #socket: TLSSocket;
  readonly #clientId: string;
  readonly #timeoutMs: number;
  readonly #pending = new Map<number, Pending>();
  #nextCorrelationId = 1;
  #received: Buffer = Buffer.alloc(0);
  #closed: Error | null = null;

  private constructor(socket: TLSSocket, clientId: string, timeoutMs: number) {
    this.#socket = socket;
    this.#clientId = clientId;
    this.#timeoutMs = timeoutMs;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error: Error) =>
      this.#fail(unavailable(`connection failed: ${error.message}`, error)),
    );
    socket.on('close', () => this.#fail(unavailable('connection closed by the broker')));
  }

  static async open(options: BrokerSessionOptions): Promise<BrokerSession> {
    const [ca, cert, key] = await Promise.all([
      readFile(options.tls.ca),
      readFile(options.tls.chain),
      readFile(options.tls.key),
    ]);
    const failures: string[] = [];
    for (const address of parseBootstrap(options.bootstrap)) {
      try {
        const socket = await connectTls(address, { ca, cert, key }, options.timeoutMs);
        return new BrokerSession(socket, options.clientId, options.timeoutMs);
      } catch (error) {
        failures.push(`${address.host}:${address.port}: ${errorMessage(error)}`);
      }
    }
    throw unavailable(`no broker reachable (${failures.join('; ')})`);
  }

  /**
   * Sends one request (request header v2, the flexible form) and resolves with a reader
   * positioned after the response header. ApiVersions answers with header v0 (no tagged
   * fields) even in its flexible versions, so the caller says which header to expect.
   */
  async request(
    apiKey: number,
    apiVersion: number,
    body: Buffer,
    responseHeader: 'v0' | 'v1' = 'v1',
  ): Promise<ProtocolReader> {
    if (this.#closed) throw this.#closed;
    const correlationId = this.#nextCorrelationId++;
    const header = new ProtocolWriter()
      .int16(apiKey)
      .int16(apiVersion)
      .int32(correlationId)
      .nullableString(this.#clientId)
      .emptyTaggedFields()
      .toBuffer();
    const size = Buffer.alloc(4);
    size.writeInt32BE(header.length + body.length);
    const response = new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(correlationId);
        reject(unavailable(`no answer to API ${apiKey} v${apiVersion} within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      this.#pending.set(correlationId, { resolve, reject, timer });
    });
    this.#socket.write(Buffer.concat([size, header, body]));
    const reader = new ProtocolReader(await response);
    reader.int32(); // correlation id, already matched
    if (responseHeader === 'v1') reader.skipTaggedFields();
    return reader;
  }

  close(): void {
    this.#fail(unavailable('session closed'));
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#received = this.#received.length === 0 ? chunk : Buffer.concat([this.#received, chunk]);
    while (this.#received.length >= 4) {
      const size = this.#received.readInt32BE(0);
      if (size < 4 || size > MAX_RESPONSE_BYTES) {
        this.#fail(new MessagingError(MessagingErrorCode.KAFKA_PROTOCOL_ERROR, `bad response size ${size}`));
        this.#socket.destroy();
        return;
      }
      if (this.#received.length < 4 + size) return;
      const frame = this.#received.subarray(4, 4 + size);
      this.#received = this.#received.subarray(4 + size);
      const pending = this.#pending.get(frame.readInt32BE(0));
      if (!pending) continue; // an answer that arrived after its timeout
      this.#pending.delete(frame.readInt32BE(0));
      clearTimeout(pending.timer);
      pending.resolve(Buffer.from(frame));
    }
  }

  #fail(error: Error): void {
    if (this.#closed) return;
    this.#closed = error;
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }
}

interface Address {
  host: string;
  port: number;
}

export function parseBootstrap(bootstrap: string): Address[] {
  const addresses = bootstrap
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const colon = entry.lastIndexOf(':');
      const host = entry.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
      const port = Number(entry.slice(colon + 1));
      if (colon <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
        throw new MessagingError(MessagingErrorCode.CONFIG_INVALID, `bad bootstrap address "${entry}"`);
      }
      return { host, port };
    });
  if (addresses.length === 0) {
    throw new MessagingError(MessagingErrorCode.CONFIG_INVALID, 'the bootstrap list is empty');
  }
  return addresses;
}

function connectTls(
  address: Address,
  material: { ca: Buffer; cert: Buffer; key: Buffer },
  timeoutMs: number,
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: address.host,
      port: address.port,
      ...material,
      minVersion: 'TLSv1.3',
      rejectUnauthorized: true,
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`TLS handshake not finished within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function unavailable(message: string, cause?: unknown): MessagingError {
  return new MessagingError(
    MessagingErrorCode.KAFKA_UNAVAILABLE,
    `Kafka admin: ${message}`,
    cause === undefined ? undefined : { cause },
  );
}
