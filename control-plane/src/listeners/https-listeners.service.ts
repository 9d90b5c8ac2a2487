// The two HTTPS listeners of the one Nest application, both TLS 1.3 only:
//   API   (ENCLAVE_API_PORT)   browsers and the CLI; server authentication only; serves /api/*.
//   agent (ENCLAVE_AGENT_PORT) GPU nodes; a client certificate of the appliance CA is required
//                              and checked against the CRLs during the handshake; serves /agent/*.
// Revocation takes effect without a restart: on every CA revocation the agent listener gets a
// freshly signed CRL (new connections are checked against it) and the revoked node's open
// connections are closed. The CRLs are also re-signed and reloaded on a timer.
import { applyRotation, CertificateAuthority, secureContextOptions, serverTlsOptions } from '@enclave/certs';
import type { RevocationEvent } from '@enclave/certs';
import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { RequestListener } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { IntervalTimers } from '../common/interval-timers.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { requestState, type ListenerKind } from '../http/request-state.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { loadTlsMaterial, withoutClientAuth } from './tls-material.ts';

export interface ListeningAddresses {
  readonly api: AddressInfo;
  readonly agent: AddressInfo;
}

@Injectable()
export class HttpsListeners implements BeforeApplicationShutdown {
  #api: Server | undefined;
  #agent: Server | undefined;
  readonly #agentSockets = new Set<TLSSocket>();
  #unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
    private readonly ca: CertificateAuthority,
    private readonly timers: IntervalTimers,
    private readonly log: AppLogger,
  ) {}

  async start(app: RequestListener): Promise<ListeningAddresses> {
    const material = await loadTlsMaterial(this.config, this.ca);
    this.#api = createServer(secureContextOptions(withoutClientAuth(material)), tagged('api', app));
    this.#agent = createServer(serverTlsOptions(material), tagged('agent', app));
    this.#agent.on('secureConnection', (socket: TLSSocket) => {
      this.#agentSockets.add(socket);
      socket.once('close', () => this.#agentSockets.delete(socket));
    });
    this.#unsubscribe = this.ca.onRevoked((event) => this.#onRevoked(event));
    this.timers.every(
      this.config.ENCLAVE_CRL_REFRESH_HOURS * 3_600_000,
      () => this.reloadTls(),
      (error) =>
        this.log.write('error', 'Reloading TLS material failed; the old material stays in use', { error }),
    );
    const addresses = {
      api: await listen(this.#api, this.config.ENCLAVE_API_PORT, this.config.ENCLAVE_BIND),
      agent: await listen(this.#agent, this.config.ENCLAVE_AGENT_PORT, this.config.ENCLAVE_BIND),
    };
    this.log.write('info', 'Listening', {
      api: `${addresses.api.address}:${addresses.api.port}`,
      agent: `${addresses.agent.address}:${addresses.agent.port}`,
    });
    return addresses;
  }

  /** Re-reads the certificate files and re-signs the CRLs; open connections carry on. */
  async reloadTls(): Promise<void> {
    if (!this.#api || !this.#agent) return;
    const material = await loadTlsMaterial(this.config, this.ca);
    applyRotation(this.#agent, material);
    applyRotation(this.#api, withoutClientAuth(material));
    this.log.write('info', 'TLS material reloaded');
  }

  async #onRevoked(event: RevocationEvent): Promise<void> {
    await this.reloadTls();
    const serials = new Set(event.serials.map((s) => s.toLowerCase()));
    for (const socket of this.#agentSockets) {
      const serial = socket.getPeerX509Certificate()?.serialNumber.toLowerCase();
      if (serial !== undefined && serials.has(serial)) socket.destroy();
    }
    this.log.write('warn', 'Certificate revoked: agent listener reloaded', {
      principal: event.principal,
      serials: event.serials,
    });
  }

  /** Before any module's shutdown hook, so no request is still running when the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.#unsubscribe?.();
    await Promise.all([close(this.#api), close(this.#agent)]);
  }
}

function tagged(kind: ListenerKind, app: RequestListener): RequestListener {
  return (req, res) => {
    requestState.setListener(req, kind);
    app(req, res);
  };
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function close(server: Server | undefined): Promise<void> {
  if (!server?.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
