// Pure renderers: the LUKS plan and boot unit, the agent files, the SSH argument vector.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SshExecutor } from '../src/host/ssh.executor.ts';
import {
  planLuksCreate,
  planLuksDestroy,
  renderScratchUnit,
  type LuksVolumeSpec,
} from '../src/render/luks.plan.ts';
import { renderControlPlaneUnit } from '../src/render/control-plane.render.ts';
import { kafkaClusterId, renderKafkaUnit } from '../src/render/kafka-broker.render.ts';
import {
  renderAgentConfig,
  renderAgentEnv,
  renderEgressUnit,
  renderGpuCheckScript,
  renderGpuCheckUnit,
  vramFloorMiB,
} from '../src/render/node-files.render.ts';

const spec: LuksVolumeSpec = {
  device: '/dev/nvme1n1',
  name: 'enclave-scratch',
  keyFile: '/etc/enclave/keys/scratch.key',
  mountPoint: '/var/lib/enclave-scratch',
  mountOwner: 'enclave-agent:enclave-agent',
  wipeExisting: false,
};

describe('LUKS plan', () => {
  it('formats only a device that is not LUKS and holds nothing, with LUKS2 and argon2id', () => {
    const plan = planLuksCreate(spec);
    const format = plan.find((c) => c.includes('luksFormat'))!;
    expect(format).toMatch(
      /^cryptsetup isLuks '\/dev\/nvme1n1' \|\| \{ if blkid -p '\/dev\/nvme1n1'.*exit 4; fi; cryptsetup luksFormat/,
    );
    expect(format).toContain('--type luks2');
    expect(format).toContain('--pbkdf argon2id');
    expect(plan.join('\n')).not.toMatch(/wipefs/);
    expect(planLuksCreate({ ...spec, wipeExisting: true }).join('\n')).toContain(
      "wipefs --all '/dev/nvme1n1'",
    );
  });

  it('destroy erases the header after closing, and removes the key', () => {
    expect(planLuksDestroy(spec)).toEqual([
      "! mountpoint -q '/var/lib/enclave-scratch' || umount '/var/lib/enclave-scratch'",
      "! cryptsetup status 'enclave-scratch' >/dev/null 2>&1 || cryptsetup close 'enclave-scratch'",
      "! cryptsetup isLuks '/dev/nvme1n1' || cryptsetup erase --batch-mode '/dev/nvme1n1'",
      "! cryptsetup isLuks '/dev/nvme1n1' || wipefs --all '/dev/nvme1n1'",
      "rm -f '/etc/enclave/keys/scratch.key'",
    ]);
  });

  it('quotes hostile values and refuses bad ones', () => {
    expect(() => planLuksCreate({ ...spec, device: '/dev/x; rm -rf /' })).toThrow(/bad device/);
    expect(() => planLuksCreate({ ...spec, name: 'a b' })).toThrow(/bad mapper name/);
    expect(() => planLuksCreate({ ...spec, keyFile: '/etc/../k' })).toThrow(/bad path/);
    expect(() => planLuksCreate({ ...spec, mountPoint: '/var/lib/a b' })).toThrow(/bad path/);
    expect(() => planLuksCreate({ ...spec, mountOwner: 'root; reboot' })).toThrow(/bad owner/);
  });

  it('the boot unit opens and mounts before the agent', () => {
    const unit = renderScratchUnit(spec);
    expect(unit).toContain('Before=enclave-agent.service');
    expect(unit).toContain(
      'ExecStart=/bin/sh -c "cryptsetup status enclave-scratch >/dev/null 2>&1 || cryptsetup open --type luks2 --key-file /etc/enclave/keys/scratch.key /dev/nvme1n1 enclave-scratch"',
    );
    // systemd's quoting is not the shell's: no shell-style quote concatenation in the unit.
    expect(unit).not.toContain("'");
    expect(unit).not.toContain('luksFormat');
  });
});

describe('node files', () => {
  it('agent.yaml holds the agent config keys', () => {
    const config = parse(renderAgentConfig({ controlPlaneUrl: 'https://10.0.0.1:8444', slots: 4 })) as Record<
      string,
      unknown
    >;
    expect(config).toEqual({
      stateDir: '/var/lib/enclave-agent',
      scratchDir: '/var/lib/enclave-scratch',
      controlPlaneUrl: 'https://10.0.0.1:8444',
      slots: 4,
    });
  });

  it('agent.env refuses a value that could break out of the assignment', () => {
    expect(renderAgentEnv('enc1.a.b.c')).toBe('ENCLAVE_AGENT_TOKEN=enc1.a.b.c\n');
    expect(() => renderAgentEnv('x\nEVIL=1')).toThrow();
  });
});

describe('SSH executor', () => {
  it('checks host keys strictly, never prompts, quotes the command, uses sudo -n for non-root', () => {
    const ssh = new SshExecutor({
      kind: 'ssh',
      host: '10.0.0.5',
      port: 2222,
      user: 'ops',
      identityFile: '/k',
      knownHostsFile: '/kh',
    });
    expect(ssh.sshArgs("echo 'x'")).toEqual([
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'ConnectTimeout=15',
      '-p',
      '2222',
      '-i',
      '/k',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'UserKnownHostsFile=/kh',
      'ops@10.0.0.5',
      '--',
      `sudo -n /bin/sh -c 'echo '"'"'x'"'"''`,
    ]);
    const root = new SshExecutor({ kind: 'ssh', host: 'h', port: 22, user: 'root' });
    expect(root.sshArgs('true').at(-1)).toBe("/bin/sh -c 'true'");
  });
});

describe('generated systemd units', () => {
  it('pass `systemd-analyze verify` (only the appliance binaries are absent here)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'enclave-units-'));
    try {
      const units: Record<string, string> = {
        'enclave-scratch.service': renderScratchUnit(spec),
        'enclave-gpu-check.service': renderGpuCheckUnit(),
        'enclave-egress.service': renderEgressUnit('/etc/nftables.d/enclave-egress.nft', 'enclave_egress'),
        'enclave-kafka.service': renderKafkaUnit(kafkaClusterId('acme')),
        'enclave-control-plane.service': renderControlPlaneUnit(),
        'broken.service': '[Service]\nTyp=oneshot\nExecStart=/bin/true\n',
      };
      const complaints: Record<string, string[]> = {};
      for (const [name, text] of Object.entries(units)) {
        await writeFile(join(dir, name), text);
        const result = spawnSync('systemd-analyze', ['verify', '--man=no', join(dir, name)], {
          encoding: 'utf8',
        });
        complaints[name] = `${result.stdout}${result.stderr}`
          .split('\n')
          .filter((l) => l !== '' && !/Command \/(opt|usr\/local\/lib)\/\S+ is not executable/.test(l));
      }
      expect(complaints['broken.service']!.join('\n')).toMatch(/Unknown key 'Typ'/); // the check can fail
      delete complaints['broken.service'];
      expect(complaints).toEqual(Object.fromEntries(Object.keys(complaints).map((k) => [k, []])));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('GPU check script', () => {
  // Stand-ins for the node's tools: dpkg-query says installed or not, apt-get logs, nvidia-smi
  // prints one memory.total line (MiB) per GPU from $GPUS.
  async function runCheck(
    gpus: string,
    installed: boolean,
  ): Promise<{ status: number | null; out: string; apt: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'enclave-gpu-'));
    try {
      const tool = async (name: string, body: string) =>
        writeFile(join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      await tool('dpkg-query', installed ? "printf 'install ok installed'" : 'exit 1');
      await tool('apt-get', `echo "$*" >> ${join(dir, 'apt.log')}`);
      await tool('nvidia-smi', 'printf "%s\\n" $GPUS');
      await writeFile(join(dir, 'apt.log'), '');
      const script = join(dir, 'gpu-check.sh');
      await writeFile(
        script,
        renderGpuCheckScript({ driverPackage: 'nvidia-driver', count: 2, minVramMiB: vramFloorMiB(48) }),
      );
      const result = spawnSync('/bin/sh', [script], {
        encoding: 'utf8',
        env: { PATH: `${dir}:/usr/bin:/bin`, GPUS: gpus },
      });
      return {
        status: result.status,
        out: result.stdout + result.stderr,
        apt: await readFile(join(dir, 'apt.log'), 'utf8'),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('passes with the promised GPUs; installs the driver only when missing', async () => {
    expect(await runCheck('46068 46068', true)).toEqual({
      status: 0,
      out: 'GPU check passed: 2 GPU(s)\n',
      apt: '',
    });
    const fresh = await runCheck('46068 46068', false);
    expect(fresh.status).toBe(0);
    expect(fresh.apt).toBe('install -y --no-install-recommends nvidia-driver\n');
  });

  it('fails when a GPU is missing or too small', async () => {
    expect(await runCheck('46068', true)).toMatchObject({
      status: 4,
      out: 'expected 2 GPU(s), nvidia-smi lists 1\n',
    });
    expect(await runCheck('46068 24000', true)).toMatchObject({
      status: 5,
      out: '1 GPU(s) have less than 44236 MiB\n',
    });
  });
});
