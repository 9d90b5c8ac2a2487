// Who a request to an /agent route comes from: the client certificate the agent listener
// verified during the TLS handshake (appliance root, CRLs loaded). It must be a node
// certificate, and not revoked — checked again per request, because a keep-alive connection
// opened before a revocation outlives the CRL reload.
import { CertificateAuthority, identityFromCertificate } from '@enclave/certs';
import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { forbidden, unauthenticated } from '../common/errors.ts';
import { requestState } from '../http/request-state.ts';
import { pathnameOf, routeNotFound } from '../http/route-not-found.ts';
import type { NodeCaller } from './caller.ts';

@Injectable()
export class NodeAuthenticator {
  constructor(private readonly ca: CertificateAuthority) {}

  async authenticate(req: IncomingMessage): Promise<NodeCaller> {
    // The intake gate already keeps /agent off the API listener; this is the second lock.
    if (requestState.listener(req) !== 'agent') throw routeNotFound(req.method ?? 'GET', pathnameOf(req.url));
    const socket = req.socket as TLSSocket;
    const cert =
      typeof socket.getPeerX509Certificate === 'function' ? socket.getPeerX509Certificate() : undefined;
    if (!socket.authorized || cert === undefined) {
      throw unauthenticated('A node certificate of this appliance is required.');
    }
    let identity;
    try {
      identity = identityFromCertificate(cert);
    } catch {
      throw forbidden('This certificate does not carry an Enclave identity.');
    }
    if (identity.profile !== 'node') {
      throw forbidden(
        `Only node certificates may call /agent routes; this one is a ${identity.profile} certificate.`,
      );
    }
    if (await this.ca.isRevoked(cert.serialNumber)) {
      throw unauthenticated('This certificate has been revoked; the node must enroll again.');
    }
    return {
      kind: 'node',
      nodeId: identity.name,
      principal: identity.principal,
      serial: cert.serialNumber.toLowerCase(),
      certificateNotAfter: new Date(cert.validTo).toISOString(),
      certificatePem: cert.toString(),
    };
  }
}
