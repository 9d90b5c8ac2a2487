// A revoked certificate (certs' RevocationEntry). Listed on its issuer's CRL until a day after
// the certificate would have expired anyway.
import type { CrlIssuer, RevocationReason } from '@enclave/certs';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const Revocation = defineEntity({
  name: 'Revocation',
  properties: {
    serial: p.string().length(64).primary(),
    principal: p.string().length(100),
    reason: p.string().$type<RevocationReason>().length(32),
    revokedAt: p.string().length(32),
    notAfter: p.string().length(32),
    actor: p.string().length(200),
    issuer: p.string().$type<CrlIssuer>().length(16),
  },
  indexes: [{ properties: ['issuer'] }],
});

export type RevocationRow = InferEntity<typeof Revocation>;
