// @enclave/crypto: encryption at rest. The chunked streaming AEAD file format (spec:
// docs/encryption-format.md), the key hierarchy (master → tenant KEK → project DEK / subject
// key / index key) and crypto-shredding, sealed fields and blind indexes.

export { CryptoError, CryptoErrorCode, contractCodeFor, isCryptoError } from './errors.ts';
export { cryptoRandomBytes, systemClock, type Clock, type RandomBytes } from './seams.ts';

export { KeyKind, KEY_ID_PREFIX, isKeyId, newKeyId, type DataKeyKind } from './key-id.ts';
export { KEY_LENGTH, SecretKey } from './secret-key.ts';
export { DataKey, exportDataKey, type KeyResolver } from './data-key.ts';

export {
  DEFAULT_CHUNK_SIZE,
  FORMAT_VERSION,
  MAX_CHUNK_EXPONENT,
  MIN_CHUNK_EXPONENT,
  TAG_LENGTH,
} from './stream-format.ts';
export type { EncryptOptions } from './file-sealing.ts';
export { createEncryptStream, type EncryptStreamOptions } from './encrypt-stream.ts';
export { createDecryptStream, type DecryptStreamOptions } from './decrypt-stream.ts';
export { decryptBuffer, encryptBuffer } from './buffer-encryption.ts';
export { resumeChunkWriter, sealedLength, startChunkWriter, type ChunkWriter } from './chunk-writer.ts';
export {
  decryptFile,
  encryptFile,
  parseFileHeader,
  readFileHeader,
  type FileHeaderInfo,
  type FileOutputOptions,
} from './file-encryption.ts';

export { MasterKey, masterKeyId } from './master-key.ts';
export {
  DEFAULT_SCRYPT_COST,
  MIN_PASSPHRASE_LENGTH,
  type PassphraseParams,
  type ScryptCost,
} from './passphrase.ts';
export type {
  DestroyedKeyEntry,
  KeyQuery,
  KeyStore,
  KeyStoreChange,
  KeyStoreMeta,
  StoredKeyKind,
  WrappedKeyRecord,
} from './key-store.ts';
export { parseJournal, type KeyStoreSnapshot } from './key-store-state.ts';
export { InMemoryKeyStore } from './memory-key-store.ts';
export { JsonFileKeyStore } from './json-file-key-store.ts';
export { KeyRing, type KeyRingOptions } from './key-ring.ts';
export { MAX_REASON_LENGTH, digestJournal, planJournalReapplication } from './key-destruction.ts';

export {
  MAX_FIELD_PLAINTEXT_BYTES,
  decryptField,
  decryptFieldText,
  encryptField,
} from './field-encryption.ts';
export { blindIndex, normaliseForIndex } from './blind-index.ts';
