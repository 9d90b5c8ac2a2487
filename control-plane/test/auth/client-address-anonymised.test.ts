// Analytics kept only anonymised (privacy policy; issue #7 item 3): the control plane never
// stores a client's full IP address. Signing in (successfully and not) from a loopback address
// other than the server's own leaves no trace of that address in the raw SQLite file and its WAL;
// the refused sign-in's sealed audit details hold only the /24 network. The rule itself: IPv4
// to /24, IPv6 to /48, IPv4-mapped IPv6 as IPv4.
import { AuditAction } from '@enclave/contracts';
import { MikroORM } from '@mikro-orm/sqlite';
import { Agent } from 'node:https';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntryRecord } from '../../src/audit/audit-entry.entity.ts';
import { DetailsSealer } from '../../src/audit/details-sealer.ts';
import { anonymiseAddress } from '../../src/common/client-address.ts';
import { databasePath } from '../../src/database/orm-options.ts';
import { startTestAppliance, type TestAppliance, type TestUser } from '../support/test-appliance.ts';

/** Any 127/8 address reaches the loopback listener; this one is nowhere else in the appliance. */
const CLIENT = '127.0.0.77';
let t: TestAppliance;
let tenant: string;
let user: TestUser;
const agent = new Agent({ localAddress: CLIENT, keepAlive: false });

beforeAll(async () => {
  t = await startTestAppliance();
  tenant = await t.createTenant('anon');
  user = await t.createUser(tenant, 'producer');
});
afterAll(async () => {
  agent.destroy();
  await t.stop();
});

const signIn = (password: string, email = user.email) =>
  t.api({ method: 'POST', path: '/api/v1/auth/login', body: { email, password }, agent });

describe('client addresses', () => {
  it('are cut to their network: IPv4 /24, IPv6 /48', () => {
    expect(anonymiseAddress('203.0.113.57')).toBe('203.0.113.0/24');
    expect(anonymiseAddress('::ffff:198.51.100.9')).toBe('198.51.100.0/24');
    expect(anonymiseAddress('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::/48');
    expect(anonymiseAddress('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(anonymiseAddress('fe80::1%eth0')).toBe('fe80:0:0::/48');
    expect(anonymiseAddress('::1')).toBe('0:0:0::/48');
    expect(anonymiseAddress('64:ff9b::192.0.2.33')).toBe('64:ff9b:0::/48');
    expect(anonymiseAddress('unknown')).toBe('unknown');
    expect(anonymiseAddress('')).toBe('unknown');
  });

  it('never reach the database in full after sign-ins', async () => {
    expect((await signIn(user.password)).status).toBe(200);
    expect((await signIn('wrong password!')).status).toBe(401);
    expect((await signIn('wrong password!', 'nobody@anon.example')).status).toBe(401);

    const orm = t.running.app.get(MikroORM);
    const failed = await orm.em.fork().find(AuditEntryRecord, { action: AuditAction.SignInFailed });
    expect(failed).toHaveLength(2);
    const sealer = t.running.app.get(DetailsSealer);
    for (const entry of failed) {
      const subjectId = entry.targets[0];
      const opened = await sealer.open(
        {
          tenantId: entry.tenantId ?? null,
          action: AuditAction.SignInFailed,
          ...(subjectId !== undefined ? { subjectId } : {}),
        },
        entry.details!,
      );
      expect(opened).toMatchObject({ clientNetwork: '127.0.0.0/24' });
      expect(JSON.stringify(opened)).not.toContain(CLIENT);
    }

    await orm.em.getConnection().execute('pragma wal_checkpoint(truncate)');
    const file = databasePath(t.config.ENCLAVE_DATA_DIR);
    const bytes = Buffer.concat([
      await readFile(file),
      await readFile(`${file}-wal`).catch(() => Buffer.alloc(0)),
    ]);
    expect(bytes.includes(Buffer.from(CLIENT, 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from(CLIENT, 'utf16le'))).toBe(false);
    // Nor the logs (the rate limiter keeps the full address, in memory only).
    expect(t.logs.text).not.toContain(CLIENT);
  });
});
