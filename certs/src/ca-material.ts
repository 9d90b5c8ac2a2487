// Loads a CA directory into memory and checks it hangs together: certificates parse, each key
// matches its certificate, the intermediate is signed by the root. A wrong passphrase, a missing
// file or a swapped key is reported here, before anything is signed.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { readTextIfExists } from './atomic-file.ts';
import { caPath, CA_FILES, CA_FORMAT, type CaFile, type CaMeta } from './ca-layout.ts';
import { CertsError } from './certs-error.ts';
import { decryptPrivateKey } from './encrypted-private-key.ts';
import { loadPrivateKey, sameKey } from './key-pairs.ts';

export interface CaCertificate {
  readonly pem: string;
  readonly x509: X509Certificate;
}

export interface CaMaterial {
  readonly dir: string;
  readonly meta: CaMeta;
  readonly root: CaCertificate;
  readonly intermediate: CaCertificate & { readonly key: KeyObject };
  /** Present only when opened with the passphrase. */
  readonly rootKey?: KeyObject;
}

export async function loadCaMaterial(dir: string, passphrase?: string): Promise<CaMaterial> {
  const metaText = await readTextIfExists(caPath(dir, 'meta'));
  if (metaText === undefined) {
    throw new CertsError('CA_NOT_FOUND', `No CA in ${dir}: run \`enclave ca init --dir ${dir}\` first.`);
  }
  const meta = parseMeta(metaText);
  const root = certificate(await required(dir, 'rootCert'), CA_FILES.rootCert);
  const intermediate = certificate(await required(dir, 'intermediateCert'), CA_FILES.intermediateCert);
  const intermediateKey = loadPrivateKey(await required(dir, 'intermediateKey'));
  if (!sameKey(intermediateKey, intermediate.x509.publicKey)) {
    throw new CertsError(
      'CA_CORRUPT',
      `${CA_FILES.intermediateKey} does not belong to ${CA_FILES.intermediateCert}.`,
    );
  }
  if (!intermediate.x509.verify(root.x509.publicKey)) {
    throw new CertsError('CA_CORRUPT', `${CA_FILES.intermediateCert} is not signed by ${CA_FILES.rootCert}.`);
  }
  const material = { dir, meta, root, intermediate: { ...intermediate, key: intermediateKey } };
  if (passphrase === undefined) return material;
  return { ...material, rootKey: await unlockRootKey(dir, passphrase, root.x509) };
}

export async function unlockRootKey(
  dir: string,
  passphrase: string,
  rootCert: X509Certificate,
): Promise<KeyObject> {
  const encrypted = await readTextIfExists(caPath(dir, 'rootKey'));
  if (encrypted === undefined) {
    throw new CertsError(
      'ROOT_KEY_OFFLINE',
      `The root key is not in ${dir} (kept offline?): restore ${CA_FILES.rootKey} with \`enclave ca import-root-key\` first.`,
    );
  }
  const key = decryptPrivateKey(encrypted, passphrase);
  if (!sameKey(key, rootCert.publicKey)) {
    throw new CertsError('CA_CORRUPT', `${CA_FILES.rootKey} does not belong to ${CA_FILES.rootCert}.`);
  }
  return key;
}

async function required(dir: string, file: CaFile): Promise<string> {
  const text = await readTextIfExists(caPath(dir, file));
  if (text === undefined)
    throw new CertsError('CA_CORRUPT', `The CA in ${dir} is incomplete: ${CA_FILES[file]} is missing.`);
  return text;
}

function certificate(pem: string, file: string): CaCertificate {
  try {
    return { pem, x509: new X509Certificate(pem) };
  } catch (cause) {
    throw new CertsError('CA_CORRUPT', `${file} is not a readable certificate.`, { cause });
  }
}

function parseMeta(text: string): CaMeta {
  try {
    const meta = JSON.parse(text) as CaMeta;
    if (meta.format === CA_FORMAT) return meta;
  } catch {
    // reported below
  }
  throw new CertsError('CA_CORRUPT', `${CA_FILES.meta} is not an ${CA_FORMAT} file.`);
}
