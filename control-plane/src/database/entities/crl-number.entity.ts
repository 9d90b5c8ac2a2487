// The last CRL number signed per issuing CA: strictly increasing (RFC 5280 §5.2.3).
import type { CrlIssuer } from '@enclave/certs';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const CrlNumber = defineEntity({
  name: 'CrlNumber',
  properties: {
    issuer: p.string().$type<CrlIssuer>().length(16).primary(),
    last: p.integer(),
  },
});

export type CrlNumberRow = InferEntity<typeof CrlNumber>;
