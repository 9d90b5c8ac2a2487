// The signature of the DPO's reports (records of processing, residency report), pure: the bytes
// the audit Ed25519 key signs and the offline check (`enclave report verify FILE`). Runs under
// Node's type stripping in the CLI, so it imports only node:crypto and contracts and uses
// erasable syntax only (the no-training attestation's pattern). The signature covers the report
// exactly as received: every field but `signature` and `publicKeyPem`, in canonical JSON (RFC
// 8785), after a context line naming the report's format — so a changed, added or removed field
// fails, and one kind of report cannot pass for another.
import {
  canonicalJson,
  RecordsOfProcessingSchema,
  ResidencyReportSchema,
  type JsonValue,
} from '@enclave/contracts';
import { createPublicKey, verify } from 'node:crypto';

const CONTEXT = 'enclave/signed-report/v1\n';

const SCHEMAS = {
  'enclave-records-of-processing/v1': RecordsOfProcessingSchema,
  'enclave-residency-report/v1': ResidencyReportSchema,
} as const;
export type SignedReportFormat = keyof typeof SCHEMAS;

export interface ReportBody {
  readonly format: SignedReportFormat;
  readonly [field: string]: JsonValue | undefined;
}

export interface SignedFields {
  readonly signature: string;
  readonly publicKeyPem: string;
}

export function reportSigningBytes(report: ReportBody): Buffer {
  const rest: Record<string, JsonValue | undefined> = { ...report };
  delete rest['signature'];
  delete rest['publicKeyPem'];
  return Buffer.from(`${CONTEXT}${report.format}\n${canonicalJson(rest)}`, 'utf8');
}

/** Signs with `sign` (the audit key); returns the report with its signature fields. */
export function signReport<T extends ReportBody>(
  report: T,
  key: { sign(bytes: Buffer): string; readonly publicKeyPem: string },
): T & SignedFields {
  return { ...report, signature: key.sign(reportSigningBytes(report)), publicKeyPem: key.publicKeyPem };
}

export type ReportCheck =
  { ok: true; format: SignedReportFormat; generatedAt: string } | { ok: false; reason: string };

/** Parses and checks a report file's text; `publicKeyPem` pins the key (else the file's). */
export function verifySignedReport(text: string, publicKeyPem?: string): ReportCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (typeof format !== 'string' || !Object.hasOwn(SCHEMAS, format)) {
    return {
      ok: false,
      reason: `not a signed report (format must be one of ${Object.keys(SCHEMAS).join(', ')})`,
    };
  }
  const parsed = SCHEMAS[format as SignedReportFormat].safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `not a valid ${format} report: ${issue?.path.join('.')}: ${issue?.message}` };
  }
  const report = json as ReportBody & SignedFields;
  if (publicKeyPem !== undefined && publicKeyPem.trim() !== report.publicKeyPem.trim()) {
    return { ok: false, reason: 'it is signed by another key than the one given (--public-key)' };
  }
  let good = false;
  try {
    good = verify(
      null,
      reportSigningBytes(report),
      createPublicKey(publicKeyPem ?? report.publicKeyPem),
      Buffer.from(report.signature, 'base64url'),
    );
  } catch {
    good = false;
  }
  return good
    ? { ok: true, format: report.format, generatedAt: parsed.data.generatedAt }
    : {
        ok: false,
        reason: 'the signature does not match the content: the report was changed after it was signed',
      };
}
