// HTTPS with trust on the token's pin. The TLS handshake runs with verification deferred; the
// root certificate at the top of the presented chain is checked against the pin, and the
// server certificate is then verified against that root alone (chain and host name) before
// the request is written. Nothing else is ever trusted.
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { checkServerIdentity } from 'node:tls';
import type { EnrollTransport } from './enrollment.client.ts';

const toPem = (der: Buffer) =>
  `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;

/** The chain as the server presented it, leaf first; the last entry is the self-signed root. */
function presentedChain(socket: TLSSocket): PeerCertificate[] {
  const chain: PeerCertificate[] = [];
  let current = socket.getPeerCertificate(true) as PeerCertificate & { issuerCertificate?: PeerCertificate };
  while (current?.raw && !chain.some((cert) => cert.fingerprint256 === current.fingerprint256)) {
    chain.push(current);
    current = current.issuerCertificate as typeof current;
  }
  return chain;
}

function verifyAgainstRoot(chain: PeerCertificate[], rootPem: string, host: string): string | null {
  const x509 = chain.map((cert) => new X509Certificate(cert.raw));
  const root = new X509Certificate(rootPem);
  for (let i = 0; i < x509.length - 1; i += 1) {
    const child = x509[i];
    const parent = x509[i + 1];
    if (!child || !parent || !child.verify(parent.publicKey)) return 'the presented chain does not verify';
  }
  const top = x509[x509.length - 1];
  if (!top?.verify(root.publicKey)) return 'the presented chain does not end at the pinned root';
  const leaf = chain[0];
  if (!leaf) return 'no server certificate';
  const identity = checkServerIdentity(host, leaf);
  return identity ? identity.message : null;
}

export const pinnedHttpsTransport: EnrollTransport = {
  postJson(url, body, checkCa) {
    const target = new URL(url);
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          method: 'POST',
          host: target.hostname,
          port: target.port || 443,
          path: target.pathname,
          headers: { 'content-type': 'application/json', 'content-length': payload.length },
          // Verification is done below against the pinned root, before any byte is sent.
          rejectUnauthorized: false,
          minVersion: 'TLSv1.3',
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown = null;
            try {
              json = text ? JSON.parse(text) : null;
            } catch {
              json = { raw: text.slice(0, 200) };
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
        },
      );
      req.on('error', reject);
      req.on('socket', (socket) => {
        (socket as TLSSocket).once('secureConnect', () => {
          const chain = presentedChain(socket as TLSSocket);
          const rootCert = chain[chain.length - 1];
          const rootPem = rootCert ? toPem(rootCert.raw) : '';
          const problem =
            !rootPem || !checkCa(rootPem)
              ? 'the server CA does not match the token pin'
              : verifyAgainstRoot(chain, rootPem, target.hostname);
          if (problem) {
            req.destroy(new Error(`refusing the control plane: ${problem}`));
            return;
          }
          req.end(payload);
        });
      });
    });
  },
};
