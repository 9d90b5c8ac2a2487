// Account data retention after closure (privacy policy §6: "kept while the account is active
// plus a period after closure"), on a real control plane and SQLite file with a frozen clock:
// closing refuses sign-in at once; the personal data is still there on day 364 after closure and
// crypto-shredded on day 366 (subject key destroyed, row kept as a pseudonym, as an erasure
// does); a legal hold keeps it until released; the dry run lists exactly what the real run
// shreds, and a second run finds nothing.
import {
  AccountRetentionSchema,
  AuditAction,
  ErrorCode,
  ErrorReplySchema,
  RetentionReportSchema,
} from '@enclave/contracts';
import { isCryptoError, KeyRing } from '@enclave/crypto';
import { MikroORM } from '@mikro-orm/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntryRecord } from '../../src/audit/audit-entry.entity.ts';
import { User } from '../../src/database/entities/user.entity.ts';
import { ERASED, PersonalDataSealer } from '../../src/keys/personal-data.sealer.ts';
import { RetentionSweeper } from '../../src/retention/retention-sweeper.ts';
import { bodyOf } from '../support/https-client.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestAppliance, type TestAppliance, type TestUser } from '../support/test-appliance.ts';

const DAY = 86_400_000;
const clock = new ManualClock('2026-03-01T00:00:00.000Z');
const start = clock.now().getTime();
let t: TestAppliance;
let tenant: string;
let dpo: TestUser;
let admin: TestUser;
let leaving: TestUser;
let held: TestUser;
let staying: TestUser;
let selfClosed: TestUser;

beforeAll(async () => {
  t = await startTestAppliance({ clock });
  tenant = await t.createTenant('accounts');
  dpo = await t.createUser(tenant, 'dpo');
  admin = await t.createUser(tenant, 'it-admin');
  leaving = await t.createUser(tenant, 'client-user');
  held = await t.createUser(tenant, 'client-user');
  staying = await t.createUser(tenant, 'client-user');
});
afterAll(() => t.stop());

const orm = () => t.running.app.get(MikroORM);
const row = (userId: string) => orm().em.fork().findOneOrFail(User, { id: userId });
const keyState = async (userId: string) =>
  t.running.app
    .get(KeyRing)
    .getDataKey((await row(userId)).subjectKeyId!)
    .then(
      () => 'usable',
      (error: unknown) => (isCryptoError(error, 'KEY_DESTROYED') ? 'destroyed' : String(error)),
    );
const signIn = (user: TestUser) =>
  t.api({ method: 'POST', path: '/api/v1/auth/login', body: { email: user.email, password: user.password } });
const at = (days: number) => {
  clock.advance(start + days * DAY - clock.now().getTime());
};
async function report(dryRun: boolean) {
  const cookie = await t.login(dpo);
  const reply = dryRun
    ? await t.api({ path: '/api/v1/retention/report?dryRun=true', cookie })
    : await t.api({ method: 'POST', path: '/api/v1/retention/run', cookie });
  return bodyOf(reply, RetentionReportSchema);
}

describe('account retention after closure', () => {
  it('closes an account: sign-in refused at once, sessions ended, the clock started', async () => {
    const leavingCookie = await t.login(leaving);
    const closed = await t.api({
      method: 'POST',
      path: `/api/v1/accounts/${leaving.userId}/close`,
      cookie: await t.login(admin),
      body: { reason: 'contract ended' },
    });
    expect(closed.status, closed.text).toBe(200);
    expect(bodyOf(closed, AccountRetentionSchema)).toEqual({
      userId: leaving.userId,
      closedAt: new Date(start).toISOString(),
      expiresAt: new Date(start + 365 * DAY).toISOString(),
      legalHold: false,
      erasedAt: null,
    });
    const refused = await signIn(leaving);
    expect(refused.status).toBe(403);
    expect(bodyOf(refused, ErrorReplySchema).message).toMatch(/closed/);
    expect((await t.api({ path: '/api/v1/auth/me', cookie: leavingCookie })).status).toBe(401);

    const again = await t.api({
      method: 'POST',
      path: `/api/v1/accounts/${leaving.userId}/close`,
      cookie: await t.login(dpo),
      body: { reason: 'twice' },
    });
    expect(again.status).toBe(409);
    expect(bodyOf(again, ErrorReplySchema).code).toBe(ErrorCode.CONFLICT);
    const self = await t.api({
      method: 'POST',
      path: `/api/v1/accounts/${dpo.userId}/close`,
      cookie: await t.login(dpo),
      body: { reason: 'me' },
    });
    expect(self.status).toBe(409);
    const other = await t.createTenant('accounts-other');
    const stranger = await t.createUser(other, 'client-user');
    const notMine = await t.api({
      method: 'POST',
      path: `/api/v1/accounts/${stranger.userId}/close`,
      cookie: await t.login(dpo),
      body: { reason: 'not mine' },
    });
    expect(notMine.status).toBe(404);
    const noReason = await t.api({
      method: 'POST',
      path: `/api/v1/accounts/${held.userId}/close`,
      cookie: await t.login(dpo),
      body: {},
    });
    expect(noReason.status).toBe(400);

    // The second account: closed too, then kept by a legal hold (one at a time).
    const dpoCookie = await t.login(dpo);
    expect(
      (
        await t.api({
          method: 'POST',
          path: `/api/v1/accounts/${held.userId}/close`,
          cookie: dpoCookie,
          body: { reason: 'contract ended' },
        })
      ).status,
    ).toBe(200);
    const hold = await t.api({
      method: 'POST',
      path: `/api/v1/accounts/${held.userId}/legal-hold`,
      cookie: dpoCookie,
      body: { reason: 'litigation: case 2026-31' },
    });
    expect(hold.status).toBe(201);
    expect(bodyOf(hold, AccountRetentionSchema).legalHold).toBe(true);
    const twice = await t.api({
      method: 'POST',
      path: `/api/v1/accounts/${held.userId}/legal-hold`,
      cookie: dpoCookie,
      body: { reason: 'again' },
    });
    expect(twice.status).toBe(409);
  });

  it('lets a client user close their own account (confirmed), signing them out everywhere', async () => {
    const client = await t.createUser(tenant, 'client-user');
    const cookie = await t.login(client);
    const unconfirmed = await t.api({
      method: 'POST',
      path: '/api/v1/privacy/my-account/close',
      cookie,
      body: { confirm: false },
    });
    expect(unconfirmed.status).toBe(400);
    expect(bodyOf(unconfirmed, ErrorReplySchema).fields?.[0]?.path).toBe('body.confirm');
    const closed = await t.api({
      method: 'POST',
      path: '/api/v1/privacy/my-account/close',
      cookie,
      body: { confirm: true },
    });
    expect(closed.status, closed.text).toBe(200);
    expect(bodyOf(closed, AccountRetentionSchema)).toMatchObject({
      userId: client.userId,
      closedAt: clock.now().toISOString(),
    });
    expect((await t.api({ path: '/api/v1/auth/me', cookie })).status).toBe(401);
    expect((await signIn(client)).status).toBe(403);
    const audited = await orm().em.fork().find(AuditEntryRecord, { action: AuditAction.AccountClosed });
    expect(audited.find((e) => e.targets[0] === client.userId)?.actor).toBe(`user:${client.userId}`);
    // Staff accounts are closed by an it-admin or the DPO, not by themselves.
    const producer = await t.createUser(tenant, 'producer');
    const own = await t.api({
      method: 'POST',
      path: '/api/v1/privacy/my-account/close',
      cookie: await t.login(producer),
      body: { confirm: true },
    });
    expect(own.status).toBe(403);
    selfClosed = client;
  });

  it('keeps the personal data on day 364 after closure', async () => {
    at(364);
    const dry = await report(true);
    expect(dry.accounts).toEqual([]);
    expect(dry.heldAccounts).toEqual([]);
    expect((await report(false)).accounts).toEqual([]);
    expect(await keyState(leaving.userId)).toBe('usable');
    const people = t.running.app.get(PersonalDataSealer);
    expect(await people.view(await row(leaving.userId))).toMatchObject({
      email: leaving.email,
      erased: false,
    });
  });

  it('shreds it on day 366: the dry run lists exactly what the real run shreds; the hold wins', async () => {
    at(366);
    const leavingKey = (await row(leaving.userId)).subjectKeyId;
    const dry = await report(true);
    expect(dry.dryRun).toBe(true);
    const selfKey = (await row(selfClosed.userId)).subjectKeyId;
    const closedItem = (userId: string, subjectKeyId: string | null | undefined) => ({
      tenantId: tenant,
      userId,
      closedAt: new Date(start).toISOString(),
      expiresAt: new Date(start + 365 * DAY).toISOString(),
      subjectKeyId,
    });
    // Oldest closure first (both at the same instant here: then by id).
    expect(dry.accounts).toEqual(
      [closedItem(leaving.userId, leavingKey), closedItem(selfClosed.userId, selfKey)].sort((a, b) =>
        a.userId < b.userId ? -1 : 1,
      ),
    );
    expect(dry.heldAccounts).toEqual([held.userId]);
    // Nothing changed by the dry run.
    expect(await keyState(leaving.userId)).toBe('usable');

    const real = await report(false);
    expect(real.dryRun).toBe(false);
    expect(real.accounts).toEqual(dry.accounts);
    expect(real.heldAccounts).toEqual(dry.heldAccounts);

    // Shredded as an erasure does: key destroyed, row kept as a pseudonym, sealed columns unreadable.
    expect(await keyState(leaving.userId)).toBe('destroyed');
    const after = await row(leaving.userId);
    expect(after.emailIndex).toBeNull();
    expect(after.emailSealed).not.toBeNull();
    expect(after.erasedAt?.toISOString()).toBe(clock.now().toISOString());
    const people = t.running.app.get(PersonalDataSealer);
    expect(await people.view(after)).toEqual({ email: ERASED, displayName: ERASED, erased: true });
    const entries = await orm().em.fork().find(AuditEntryRecord, { action: AuditAction.AccountDataShredded });
    expect(entries.map((e) => e.targets[0]).sort()).toEqual([leaving.userId, selfClosed.userId].sort());
    expect(await keyState(selfClosed.userId)).toBe('destroyed');

    // The held account and the open one are untouched.
    expect(await keyState(held.userId)).toBe('usable');
    expect(await keyState(staying.userId)).toBe('usable');
    expect((await signIn(staying)).status).toBe(200);

    // A second run finds nothing more to do.
    const rerun = await report(false);
    expect(rerun.accounts).toEqual([]);
    const view = bodyOf(
      await t.api({ path: `/api/v1/accounts/${leaving.userId}/retention`, cookie: await t.login(dpo) }),
      AccountRetentionSchema,
    );
    expect(view.erasedAt).toBe(clock.now().toISOString());
  });

  it('shreds the held account once the hold is released (the hourly sweep, called directly)', async () => {
    at(400);
    const released = await t.api({
      method: 'DELETE',
      path: `/api/v1/accounts/${held.userId}/legal-hold?reason=settled`,
      cookie: await t.login(dpo),
    });
    expect(released.status).toBe(200);
    expect(bodyOf(released, AccountRetentionSchema).legalHold).toBe(false);
    const dry = await t.running.app.get(RetentionSweeper).sweep({ dryRun: true });
    const real = await t.running.app.get(RetentionSweeper).sweep({ dryRun: false });
    expect(dry.accounts.map((a) => a.userId)).toEqual([held.userId]);
    expect(real.accounts).toEqual(dry.accounts);
    expect(await keyState(held.userId)).toBe('destroyed');
    const noHold = await t.api({
      method: 'DELETE',
      path: `/api/v1/accounts/${held.userId}/legal-hold?reason=again`,
      cookie: await t.login(dpo),
    });
    expect(noHold.status).toBe(409);
  });
});
