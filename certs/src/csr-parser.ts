// Reads a PKCS#10 request without trusting it: exact bytes for the signed part and the key
// (der-reader), forge's asn1 parser for names and requested extensions. Nothing here decides
// anything; csr-intake.ts applies the policy. Any failure surfaces as CSR_MALFORMED.
import { createPublicKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { buf, children, fromDer, OID, readOid, type Asn1 } from './asn1-encoding.ts';
import { CertsError } from './certs-error.ts';
import { childrenOf, readSingle, type Tlv } from './der-reader.ts';
import { utilExtras } from './forge-extras.ts';
import { pemToDer } from './pem.ts';

export interface ParsedCsr {
  /** The CertificationRequestInfo exactly as signed. */
  readonly signedBytes: Buffer;
  readonly signatureAlgorithmOid: string;
  readonly signature: Buffer;
  readonly publicKey: KeyObject;
  readonly subject: readonly { readonly oid: string; readonly value: string }[];
  readonly dnsNames: readonly string[];
  /** Raw address bytes as hex, so 10.0.0.1 and ::ffff:a00:1 never compare equal by accident. */
  readonly ipAddresses: readonly { readonly hex: string; readonly text: string }[];
  /** SAN entries of other kinds (e-mail, URI...), which this CA never issues. */
  readonly otherAltNames: number;
  readonly extKeyUsageOids: readonly string[];
  readonly requestsCa: boolean;
  readonly requestsCertSign: boolean;
  readonly challengePassword?: string;
}

export function parseCsr(csrPem: unknown): ParsedCsr {
  if (typeof csrPem !== 'string') throw malformed('not a PEM string');
  try {
    return parseDer(pemToDer(csrPem, 'CERTIFICATE REQUEST', 'CSR_MALFORMED'));
  } catch (error) {
    if (error instanceof CertsError && error.code === 'CSR_MALFORMED') throw error;
    throw malformed(error instanceof Error ? error.message.replace(/\.$/, '') : 'unreadable', error);
  }
}

function parseDer(der: Buffer): ParsedCsr {
  const [info, algorithm, signatureBits, ...rest] = childrenOf(expectTag(readSingle(der), 0x30));
  if (!info || !algorithm || !signatureBits || rest.length > 0)
    throw malformed('expected 3 top-level fields');
  const [version, subject, spki, attributes, ...extra] = childrenOf(expectTag(info, 0x30));
  if (!version || !subject || !spki || !attributes || extra.length > 0)
    throw malformed('bad CertificationRequestInfo');
  if (!expectTag(version, 0x02).contents.equals(Buffer.from([0]))) throw malformed('unsupported version');
  const signature = expectTag(signatureBits, 0x03).contents;
  if (signature[0] !== 0) throw malformed('signature has unused bits');
  const publicKey = createPublicKey({ key: expectTag(spki, 0x30).bytes, format: 'der', type: 'spki' });
  const algorithmOid = children(fromDer(expectTag(algorithm, 0x30).bytes))[0];
  if (!algorithmOid) throw malformed('no signature algorithm');
  return {
    signedBytes: info.bytes,
    signatureAlgorithmOid: readOid(algorithmOid),
    signature: signature.subarray(1),
    publicKey,
    subject: parseName(fromDer(expectTag(subject, 0x30).bytes)),
    ...parseAttributes(expectTag(attributes, 0xa0)),
  };
}

function parseName(name: Asn1): { oid: string; value: string }[] {
  return children(name).flatMap((rdn) =>
    children(rdn).map((atv) => {
      const [type, value] = children(atv);
      if (!type || !value || typeof value.value !== 'string') throw malformed('bad subject attribute');
      const text = value.type === forge.asn1.Type.UTF8 ? forge.util.decodeUtf8(value.value) : value.value;
      return { oid: readOid(type), value: text };
    }),
  );
}

type AttributeFields = Omit<
  ParsedCsr,
  'signedBytes' | 'signatureAlgorithmOid' | 'signature' | 'publicKey' | 'subject'
>;

function parseAttributes(attributes: Tlv): AttributeFields {
  const fields: {
    -readonly [K in keyof AttributeFields]: AttributeFields[K];
  } = {
    dnsNames: [],
    ipAddresses: [],
    otherAltNames: 0,
    extKeyUsageOids: [],
    requestsCa: false,
    requestsCertSign: false,
  };
  for (const attribute of childrenOf(attributes)) {
    const [type, values] = children(fromDer(attribute.bytes));
    if (!type || !values) throw malformed('bad attribute');
    const [value] = children(values);
    const id = readOid(type);
    if (id === OID.challengePassword && value && typeof value.value === 'string') {
      fields.challengePassword = forge.util.decodeUtf8(value.value);
    } else if (id === OID.extensionRequest && value) {
      for (const extension of children(value)) readExtension(extension, fields);
    }
  }
  return fields;
}

function readExtension(
  extension: Asn1,
  fields: { -readonly [K in keyof AttributeFields]: AttributeFields[K] },
): void {
  const parts = children(extension);
  const id = parts[0] ? readOid(parts[0]) : '';
  const octets = parts.at(-1)?.value;
  if (typeof octets !== 'string') throw malformed('bad requested extension');
  const value = fromDer(buf(octets));
  if (id === OID.subjectAltName) {
    for (const name of children(value)) {
      const raw = typeof name.value === 'string' ? name.value : '';
      if (name.tagClass !== forge.asn1.Class.CONTEXT_SPECIFIC) throw malformed('bad subjectAltName');
      const tag = name.type as number; // context-specific: [2] dNSName, [7] iPAddress
      if (tag === 2) fields.dnsNames = [...fields.dnsNames, raw.toLowerCase()];
      else if (tag === 7 && (raw.length === 4 || raw.length === 16))
        fields.ipAddresses = [
          ...fields.ipAddresses,
          { hex: buf(raw).toString('hex'), text: utilExtras.bytesToIP(raw) ?? '?' },
        ];
      else fields.otherAltNames++;
    }
  } else if (id === OID.extKeyUsage) {
    fields.extKeyUsageOids = [...fields.extKeyUsageOids, ...children(value).map(readOid)];
  } else if (id === OID.basicConstraints) {
    const [ca] = children(value);
    fields.requestsCa = ca?.type === forge.asn1.Type.BOOLEAN && ca.value !== '\u0000';
  } else if (id === OID.keyUsage && typeof value.value === 'string') {
    const bits = value.value.charCodeAt(1) || 0; // byte 0 counts unused bits
    fields.requestsCertSign = (bits & 0x06) !== 0; // keyCertSign or cRLSign
  }
}

function expectTag(tlv: Tlv, tag: number): Tlv {
  if (tlv.tag !== tag) throw malformed(`unexpected tag 0x${tlv.tag.toString(16)}`);
  return tlv;
}

function malformed(why: string, cause?: unknown): CertsError {
  return new CertsError('CSR_MALFORMED', `Malformed certificate request: ${why}.`, { cause });
}
