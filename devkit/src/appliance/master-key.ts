// The control plane's master key file (ENCLAVE_MASTER_KEY_FILE: 32 random bytes, mode 0600),
// created on the first run and reused afterwards: the key store is sealed under it, so losing
// the file makes the demo data unreadable (delete the whole dev directory to start over).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';

export async function ensureMasterKey(file: string): Promise<string> {
  if (!existsSync(file)) await writeFile(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
  return file;
}
