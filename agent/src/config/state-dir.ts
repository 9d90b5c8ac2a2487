// The state directory's layout and its file I/O. Keys are written 0600, the directory 0700.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AgentState } from '../state/agent-state.ts';

export const IdentitySchema = z.object({
  nodeId: z.string().min(1),
  kafka: z.object({ bootstrap: z.string().min(1) }),
  enrolledAt: z.string(),
});

export type Identity = z.infer<typeof IdentitySchema>;

export const StatusFileSchema = z.object({ state: z.enum(AgentState), pid: z.int(), updatedAt: z.string() });

export type StatusFile = z.infer<typeof StatusFileSchema>;

export function statePaths(stateDir: string) {
  return {
    dir: stateDir,
    identity: join(stateDir, 'identity.json'),
    status: join(stateDir, 'status.json'),
    key: join(stateDir, 'node.key.pem'),
    cert: join(stateDir, 'node.cert.pem'),
    chain: join(stateDir, 'node.chain.pem'),
    ca: join(stateDir, 'ca.pem'),
    outbox: join(stateDir, 'outbox.sqlite'),
    /** Input ciphertext as received (never plaintext), reused by a re-run of the task. */
    cache: join(stateDir, 'cache'),
  };
}

export type StatePaths = ReturnType<typeof statePaths>;

export class StateDir {
  readonly paths: StatePaths;

  constructor(stateDir: string) {
    this.paths = statePaths(stateDir);
  }

  ensure(): void {
    mkdirSync(this.paths.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.paths.dir, 0o700);
  }

  readIdentity(): Identity | null {
    if (!existsSync(this.paths.identity)) return null;
    return IdentitySchema.parse(JSON.parse(readFileSync(this.paths.identity, 'utf8')));
  }

  writeEnrollment(
    identity: Identity,
    pems: { keyPem: string; certificatePem: string; chainPem: string; caPem: string },
  ): void {
    this.ensure();
    this.#atomic(this.paths.key, pems.keyPem, 0o600);
    this.#atomic(this.paths.cert, pems.certificatePem, 0o644);
    this.#atomic(this.paths.chain, pems.chainPem, 0o644);
    this.#atomic(this.paths.ca, pems.caPem, 0o644);
    // Last: identity.json existing means "enrolled", so it must not precede the certificates.
    this.#atomic(this.paths.identity, `${JSON.stringify(identity, null, 2)}\n`, 0o644);
  }

  /** A renewed certificate for the same key (both files atomically, chain last). */
  writeCertificate(pems: { certificatePem: string; chainPem: string }): void {
    this.#atomic(this.paths.cert, pems.certificatePem, 0o644);
    this.#atomic(this.paths.chain, pems.chainPem, 0o644);
  }

  readStatus(): StatusFile | null {
    if (!existsSync(this.paths.status)) return null;
    return StatusFileSchema.parse(JSON.parse(readFileSync(this.paths.status, 'utf8')));
  }

  writeStatus(status: StatusFile): void {
    this.#atomic(this.paths.status, `${JSON.stringify(status)}\n`, 0o644);
  }

  #atomic(file: string, content: string, mode: number): void {
    const temp = `${file}.tmp`;
    writeFileSync(temp, content, { mode });
    chmodSync(temp, mode);
    renameSync(temp, file);
  }
}
