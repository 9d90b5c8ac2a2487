// The appliance CA as the control plane holds it: the CA directory's keys and certificates,
// with its records (issuance log, revocations, enrollment tokens) in SQLite. Inject
// `CertificateAuthority` to issue, enroll, renew or revoke.
import { CertificateAuthority } from '@enclave/certs';
import type { FactoryProvider } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { readFile } from 'node:fs/promises';
import { Clock } from '../common/clock.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { adoptFileStores } from './file-store-adoption.ts';
import { SqliteEnrollmentTokenStore } from './sqlite-enrollment-token.store.ts';
import { SqliteIssuanceLog } from './sqlite-issuance.log.ts';
import { SqliteRevocationStore } from './sqlite-revocation.store.ts';

export const applianceCaProvider: FactoryProvider<Promise<CertificateAuthority>> = {
  provide: CertificateAuthority,
  inject: [CONTROL_PLANE_CONFIG, MikroORM, Clock, AppLogger],
  useFactory: async (config: ControlPlaneConfig, orm: MikroORM, clock: Clock, log: AppLogger) => {
    const dir = config.ENCLAVE_CA_DIR;
    if (!(await CertificateAuthority.exists(dir))) {
      throw new Error(`ENCLAVE_CA_DIR ${dir} holds no CA: run \`enclave ca init --dir ${dir}\` first.`);
    }
    const tokens = new SqliteEnrollmentTokenStore(orm);
    const revocations = new SqliteRevocationStore(orm);
    const issuanceLog = new SqliteIssuanceLog(orm);
    const adopted = await adoptFileStores(dir, { orm, tokens, revocations });
    if (adopted > 0)
      log.write('info', 'Took over the CA records from its directory', { dir, entries: adopted });
    const passphraseFile = config.ENCLAVE_CA_PASSPHRASE_FILE;
    const passphrase = passphraseFile ? (await readFile(passphraseFile, 'utf8')).trim() : undefined;
    return CertificateAuthority.open({
      dir,
      ...(passphrase !== undefined ? { passphrase } : {}),
      now: () => clock.now(),
      actor: 'control-plane',
      stores: { tokens, revocations, log: issuanceLog },
    });
  },
};
