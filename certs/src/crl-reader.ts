// Reads back the few CRL fields operators and the control plane care about (is it still fresh,
// which serials does it list). Parsing only; the signature is checked by OpenSSL where the CRL
// is used (TLS servers, `openssl crl -verify`).
import { buf, children, fromDer, OID, readOid, type Asn1 } from './asn1-encoding.ts';
import { CertsError } from './certs-error.ts';
import forge from 'node-forge';
import { pemToDer } from './pem.ts';
import { normalizeSerial } from './serial-numbers.ts';

export interface CrlInfo {
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly serials: readonly string[];
  readonly crlNumber?: number;
}

export function readCrlInfo(pem: string): CrlInfo {
  try {
    const [tbs] = children(fromDer(pemToDer(pem, 'X509 CRL', 'CERT_MALFORMED')));
    const fields = children(tbs as Asn1);
    const [thisUpdate, nextUpdate, revoked] = fields.slice(3, 6);
    if (!thisUpdate || !nextUpdate) throw new Error('missing update times');
    const serials =
      revoked && revoked.type === forge.asn1.Type.SEQUENCE && revoked.tagClass === forge.asn1.Class.UNIVERSAL
        ? children(revoked).map((entry) => serialHex(children(entry)[0]))
        : [];
    const crlNumber = readCrlNumber(fields.find((f) => f.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC));
    return {
      thisUpdate: asDate(thisUpdate),
      nextUpdate: asDate(nextUpdate),
      serials,
      ...(crlNumber !== undefined ? { crlNumber } : {}),
    };
  } catch (cause) {
    throw new CertsError('CERT_MALFORMED', 'The CRL could not be read.', { cause });
  }
}

function readCrlNumber(extensionsField: Asn1 | undefined): number | undefined {
  const list = extensionsField ? children(extensionsField)[0] : undefined;
  for (const extension of list ? children(list) : []) {
    const [id, value] = children(extension);
    if (id && readOid(id) === OID.crlNumber && typeof value?.value === 'string') {
      const integer = fromDer(buf(value.value)).value as string;
      return Number(BigInt('0x' + (buf(integer).toString('hex') || '0')));
    }
  }
  return undefined;
}

function asDate(node: Asn1): Date {
  const text = node.value as string;
  return node.type === forge.asn1.Type.UTCTIME
    ? forge.asn1.utcTimeToDate(text)
    : forge.asn1.generalizedTimeToDate(text);
}

function serialHex(node: Asn1 | undefined): string {
  return normalizeSerial(buf((node?.value as string | undefined) ?? '\u0000').toString('hex'));
}
