// Enrollment records: what a token entitles its holder to. Identity (name, profile, SANs, extra
// EKU) is fixed here by the operator when the token is made; the CSR later contributes only its
// public key.
import type { Profile } from './profiles.ts';

export interface EnrollmentRecord {
  /** SHA-256 (hex) of the token secret; the secret itself is never stored. */
  readonly secretHash: string;
  readonly name: string;
  readonly profile: Profile;
  readonly serverAuth: boolean;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly createdBy: string;
  readonly usedAt?: string;
}

export interface EnrollmentTokenStore {
  save(record: EnrollmentRecord): Promise<void>;
  find(secretHash: string): Promise<EnrollmentRecord | undefined>;
  /** Marks the record used if it is not yet: true for exactly one caller, however many race. */
  consume(secretHash: string, usedAt: string): Promise<boolean>;
  list(): Promise<EnrollmentRecord[]>;
}
