// Each dynamic provider's create/diff/update/delete against the LocalExecutor: real files in a
// temporary host root (modes checked), stand-in system tools logging their arguments.
import { existsSync, statSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalConnection } from '../src/host/host-executor.ts';
import { LocalExecutor } from '../src/host/local.executor.ts';
import { luksVolumeProvider, type LuksVolumeInputs } from '../src/providers/luks-volume.provider.ts';
import { remoteFileProvider, type RemoteFileInputs } from '../src/providers/remote-file.provider.ts';
import { systemdUnitProvider, type SystemdUnitInputs } from '../src/providers/systemd-unit.provider.ts';
import { makeFakeHost, type FakeHost } from './support/fake-host.ts';

let host: FakeHost;
let connection: LocalConnection;
const mode = (path: string) => statSync(join(host.root, path)).mode & 0o777;
const text = (path: string) => readFile(join(host.root, path), 'utf8');

beforeEach(async () => {
  host = await makeFakeHost();
  connection = { kind: 'local', root: host.root };
});
afterEach(async () => {
  await rm(host.root, { recursive: true, force: true });
});

describe('LocalExecutor', () => {
  it('keeps every path inside its root', async () => {
    const executor = new LocalExecutor(host.root);
    expect(executor.hostPath('/etc/x')).toBe(join(host.root, 'etc/x'));
    expect(() => executor.hostPath('/../../etc/passwd')).toThrow(/escapes the host root/);
    expect(executor.hostPath('/etc/../var/x')).toBe(join(host.root, 'var/x'));
    expect(() => executor.hostPath('relative')).toThrow(/absolute/);
    expect(await executor.readFile('/nope')).toBeNull();
  });
});

describe('RemoteFile provider', () => {
  const inputs = (over: Partial<RemoteFileInputs> = {}): RemoteFileInputs => ({
    connection,
    path: '/etc/enclave/agent.env',
    content: 'ENCLAVE_AGENT_TOKEN=enc1.x\n',
    mode: 0o600,
    owner: 'root:root',
    ...over,
  });

  it('creates with the mode, diffs, updates content and mode, deletes', async () => {
    const created = await remoteFileProvider.create(inputs());
    expect(created.id).toBe(`local:${host.root}:/etc/enclave/agent.env`);
    expect(await text('/etc/enclave/agent.env')).toBe('ENCLAVE_AGENT_TOKEN=enc1.x\n');
    expect(mode('/etc/enclave/agent.env')).toBe(0o600);
    // State keeps a digest, never the content.
    expect(JSON.stringify(created.outs)).not.toContain('enc1.x');

    expect(await remoteFileProvider.diff(created.id, created.outs!, inputs())).toMatchObject({
      changes: false,
    });
    const changed = inputs({ content: 'B\n', mode: 0o640 });
    expect(await remoteFileProvider.diff(created.id, created.outs!, changed)).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(
      await remoteFileProvider.diff(created.id, created.outs!, inputs({ path: '/etc/other' })),
    ).toMatchObject({
      replaces: ['path'],
    });

    const updated = await remoteFileProvider.update(created.id, created.outs!, changed);
    expect(await text('/etc/enclave/agent.env')).toBe('B\n');
    expect(mode('/etc/enclave/agent.env')).toBe(0o640);
    await remoteFileProvider.delete(created.id, updated.outs!);
    expect(existsSync(join(host.root, 'etc/enclave/agent.env'))).toBe(false);
    await remoteFileProvider.delete(created.id, updated.outs!); // converges when already gone
  });

  it('refuses a relative or climbing path', async () => {
    await expect(remoteFileProvider.create(inputs({ path: 'etc/x' }))).rejects.toThrow(/absolute/);
    await expect(remoteFileProvider.create(inputs({ path: '/etc/../x' }))).rejects.toThrow(/absolute/);
  });
});

describe('SystemdUnit provider', () => {
  const inputs = (over: Partial<SystemdUnitInputs> = {}): SystemdUnitInputs => ({
    connection,
    name: 'enclave-agent.service',
    content: '[Service]\nExecStart=/bin/true\n',
    enable: true,
    start: true,
    ...over,
  });

  it('installs, enables and starts; restarts on update; disables and removes on delete', async () => {
    const created = await systemdUnitProvider.create(inputs());
    expect(await text('/etc/systemd/system/enclave-agent.service')).toBe('[Service]\nExecStart=/bin/true\n');
    expect(mode('/etc/systemd/system/enclave-agent.service')).toBe(0o644);
    expect(await host.commands()).toEqual([
      'systemctl daemon-reload',
      'systemctl enable enclave-agent.service',
      'systemctl start enclave-agent.service',
    ]);
    const news = inputs({ content: '[Service]\nExecStart=/bin/false\n' });
    expect(await systemdUnitProvider.diff(created.id, created.outs!, news)).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(
      await systemdUnitProvider.diff(created.id, created.outs!, inputs({ name: 'x.service' })),
    ).toMatchObject({
      replaces: ['name'],
      deleteBeforeReplace: true,
    });
    const updated = await systemdUnitProvider.update(created.id, created.outs!, news);
    expect((await host.commands()).slice(3)).toEqual([
      'systemctl daemon-reload',
      'systemctl enable enclave-agent.service',
      'systemctl restart enclave-agent.service',
    ]);
    await systemdUnitProvider.delete(created.id, updated.outs!);
    expect(existsSync(join(host.root, 'etc/systemd/system/enclave-agent.service'))).toBe(false);
    expect((await host.commands()).slice(6)).toEqual([
      'systemctl disable --now enclave-agent.service',
      'systemctl daemon-reload',
    ]);
  });

  it('refuses a name that is not a unit', async () => {
    await expect(systemdUnitProvider.create(inputs({ name: '../../etc/passwd' }))).rejects.toThrow(
      /not a systemd unit name/,
    );
  });

  it('fails the create when systemctl fails (the error carries stderr)', async () => {
    await writeFile(
      join(host.root, 'bin/systemctl'),
      '#!/bin/sh\necho "Unit has a bad setting" >&2\nexit 1\n',
    );
    await expect(systemdUnitProvider.create(inputs())).rejects.toThrow(/exit 1.*\n.*Unit has a bad setting/);
  });
});

describe('LuksVolume provider', () => {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const inputs = (over: Partial<LuksVolumeInputs> = {}): LuksVolumeInputs => ({
    connection,
    device: '/dev/nvme1n1',
    name: 'enclave-scratch',
    keyFile: '/etc/enclave/keys/scratch.key',
    mountPoint: '/var/lib/enclave-scratch',
    mountOwner: `${uid}:${gid}`,
    wipeExisting: false,
    ...over,
  });
  const at = (p: string) => join(host.root, p);

  it('makes the key on the host, formats LUKS2 once, opens, makes a file system, mounts; delete erases', async () => {
    const created = await luksVolumeProvider.create(inputs());
    const key = await readFile(at('/etc/enclave/keys/scratch.key'));
    expect(key.length).toBe(64);
    expect(mode('/etc/enclave/keys/scratch.key')).toBe(0o400);
    expect(mode('/etc/enclave/keys')).toBe(0o700);
    expect(mode('/var/lib/enclave-scratch')).toBe(0o700);
    const commands = await host.commands();
    const formats = commands.filter((c) => c.startsWith('cryptsetup luksFormat'));
    expect(formats).toEqual([
      `cryptsetup luksFormat --batch-mode --type luks2 --cipher aes-xts-plain64 --key-size 512 --pbkdf argon2id --label enclave-scratch --key-file ${at('/etc/enclave/keys/scratch.key')} ${at('/dev/nvme1n1')}`,
    ]);
    expect(commands).toContain(
      `cryptsetup open --type luks2 --key-file ${at('/etc/enclave/keys/scratch.key')} ${at('/dev/nvme1n1')} enclave-scratch`,
    );
    expect(commands).toContain(`mkfs.ext4 -q -L enclave-scratch ${at('/dev/mapper/enclave-scratch')}`);
    expect(commands).toContain(
      `mount -o nodev,nosuid,noexec ${at('/dev/mapper/enclave-scratch')} ${at('/var/lib/enclave-scratch')}`,
    );
    // No key material in the outputs (state).
    expect(JSON.stringify(created.outs)).not.toContain(key.toString('base64'));

    // Re-running (a retried `up`) neither formats again nor replaces the key.
    await luksVolumeProvider.create(inputs());
    expect((await host.commands()).filter((c) => c.startsWith('cryptsetup luksFormat'))).toHaveLength(1);
    expect(await readFile(at('/etc/enclave/keys/scratch.key'))).toEqual(key);

    expect(
      await luksVolumeProvider.diff(created.id, created.outs!, inputs({ device: '/dev/sdb' })),
    ).toMatchObject({
      replaces: ['device'],
      deleteBeforeReplace: true,
    });
    expect(await luksVolumeProvider.diff(created.id, created.outs!, inputs())).toMatchObject({
      changes: false,
    });
    const moved = inputs({ mountPoint: '/srv/scratch' });
    expect(await luksVolumeProvider.diff(created.id, created.outs!, moved)).toMatchObject({
      changes: true,
      replaces: [],
    });
    const updated = await luksVolumeProvider.update(created.id, created.outs!, moved);
    expect(await host.commands()).toContain(`umount ${at('/var/lib/enclave-scratch')}`);
    expect(mode('/srv/scratch')).toBe(0o700);

    await luksVolumeProvider.delete(created.id, updated.outs!);
    const after = await host.commands();
    expect(after).toContain('cryptsetup close enclave-scratch');
    expect(after).toContain(`cryptsetup erase --batch-mode ${at('/dev/nvme1n1')}`);
    expect(existsSync(at('/etc/enclave/keys/scratch.key'))).toBe(false);
  });

  it('refuses a device that holds a file system unless told to wipe it', async () => {
    await host.sim('signature');
    await expect(luksVolumeProvider.create(inputs())).rejects.toThrow(
      /exit 4[\s\S]*set wipeExisting to destroy it/,
    );
    expect((await host.commands()).some((c) => c.startsWith('cryptsetup luksFormat'))).toBe(false);
    await luksVolumeProvider.create(inputs({ wipeExisting: true }));
    const commands = await host.commands();
    expect(commands).toContain(`wipefs --all ${at('/dev/nvme1n1')}`);
    expect(commands.filter((c) => c.startsWith('cryptsetup luksFormat'))).toHaveLength(1);
  });

  it('refuses a device path outside /dev', async () => {
    await expect(luksVolumeProvider.create(inputs({ device: '/etc/passwd' }))).rejects.toThrow(/bad device/);
  });
});
