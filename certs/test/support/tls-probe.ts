// Real TLS sockets on 127.0.0.1. A probe says whether application data got through: under TLS 1.3
// the client's handshake completes before the server has judged the client certificate, so a
// refusal only shows on the first read.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';

export interface Probe {
  readonly accepted: boolean;
  readonly data: string;
  readonly error?: string;
  /** Serial of the certificate the server presented (upper-case hex, as Node prints it). */
  readonly serverSerial?: string;
}

/** A server that greets each authenticated client with its certificate CN. */
export async function startNodeServer(
  options: tls.TlsOptions,
): Promise<{ server: tls.Server; port: number; close(): Promise<void> }> {
  const server = tls.createServer(options, (socket) => {
    const peer = socket.getPeerCertificate();
    socket.end(`hello ${String(peer.subject?.CN)} serial ${peer.serialNumber}\n`);
  });
  server.on('tlsClientError', () => undefined); // refusals are the expected outcome in many tests
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Connects, optionally sends a line, and collects what comes back until the server closes. */
export function probe(
  port: number,
  options: tls.ConnectionOptions,
  send?: string,
  timeoutMs = 5_000,
): Promise<Probe> {
  return new Promise((resolve) => {
    let data = '';
    let settled = false;
    let serverSerial: string | undefined;
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ...options });
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const code = error ? (error as NodeJS.ErrnoException).code : undefined;
      resolve({
        accepted: data.length > 0 && !error,
        data,
        ...(error ? { error: code ?? error.message } : {}),
        ...(serverSerial ? { serverSerial } : {}),
      });
    };
    const timer = setTimeout(() => finish(new Error('timeout')), timeoutMs);
    socket.on('secureConnect', () => {
      serverSerial = socket.getPeerCertificate().serialNumber;
      if (send !== undefined) socket.write(send);
    });
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
      if (send !== undefined && data.includes('\n')) finish();
    });
    socket.on('error', (error: Error) => finish(error));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
  });
}
