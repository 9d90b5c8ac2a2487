// Public surface of @enclave/certs. The control plane, the agent, the devkit and the CLI use only
// what is exported here.
export { CertsError, isCertsError, type CertsErrorCode } from './certs-error.ts';
export type { Clock } from './clock.ts';
export {
  PROFILES,
  PROFILE_SPECS,
  EKU_OIDS,
  NAME_PATTERN,
  ORGANISATION,
  KAFKA_PRINCIPAL_MAPPING_RULES,
  isProfile,
  parseProfile,
  principalFor,
  extKeyUsageFor,
  subjectRfc2253,
  type Profile,
  type ProfileSpec,
  type ExtendedKeyUsage,
} from './profiles.ts';
export {
  CertificateAuthority,
  DEFAULT_GRACE_HOURS,
  type CaOptions,
  type CaStores,
  type IssueRequest,
  type CertificateStatus,
} from './certificate-authority.ts';
export { writeIssued, type IssuedCertificate, type IssuedFiles } from './issued-certificate.ts';
export {
  resolveIdentity,
  identityFromCertificate,
  type CertificateIdentity,
} from './certificate-identity.ts';
export {
  parseEnrollmentToken,
  formatEnrollmentToken,
  verifyCaPin,
  caPinOf,
  hashTokenSecret,
  TOKEN_PREFIX,
  type EnrollmentToken,
} from './enrollment-tokens.ts';
export type { EnrollmentRecord, EnrollmentTokenStore } from './enrollment-token-store.ts';
export {
  DEFAULT_TOKEN_TTL_HOURS,
  MAX_TOKEN_TTL_HOURS,
  type TokenRequest,
  type CreatedToken,
  type CsrEnrollment,
} from './enrollment.ts';
export { intakeCsr, type AcceptedCsr } from './csr-intake.ts';
export { parseCsr, type ParsedCsr } from './csr-parser.ts';
export { createCsr, type CsrRequest } from './csr-builder.ts';
export type { RenewalRequest } from './renewal.ts';
export type { RenewalChallenge } from './renewal-challenges.ts';
export { renewalDue, RENEWAL_FRACTION, RENEWAL_JITTER, type Validity } from './renewal-schedule.ts';
export type { RevokeRequest, RevocationEvent, RevocationListener } from './revocation.ts';
export {
  REVOCATION_REASON_CODES,
  parseRevocationReason,
  type RevocationReason,
} from './revocation-reasons.ts';
export type { RevocationStore, RevocationEntry, CrlIssuer } from './revocation-store.ts';
export { readCrlInfo, type CrlInfo } from './crl-reader.ts';
export {
  findBrokenLink,
  chainEntry,
  GENESIS_HASH,
  type IssuanceLog,
  type IssuanceLogEntry,
  type IssuanceLogInput,
  type IssuanceEvent,
} from './issuance-log.ts';
export { FileIssuanceLog } from './file-issuance-log.ts';
export { FileRevocationStore } from './file-revocation-store.ts';
export { FileEnrollmentTokenStore } from './file-enrollment-token-store.ts';
export {
  serverTlsOptions,
  clientTlsOptions,
  secureContextOptions,
  applyRotation,
  tlsMaterialFrom,
  type TlsMaterial,
} from './tls-options.ts';
export { exportRootKey, importRootKey } from './root-key-custody.ts';
export { generateLeafKeyPair, type LeafKeyType } from './key-pairs.ts';
export { normalizeSerial } from './serial-numbers.ts';
export { CA_FILES } from './ca-layout.ts';
export { runCertsCli, type CliIo } from './cli/run-certs-cli.ts';
