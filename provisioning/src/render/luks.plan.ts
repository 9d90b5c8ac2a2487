// The cryptsetup command lines for the GPU node's scratch volume, as data: the provider runs
// them through a HostExecutor one by one, tests read them. Every step is idempotent (a re-run
// after a failure continues where it stopped), and a device that already holds something other
// than LUKS is refused unless the inventory says to wipe it.
import { shellQuote as q } from '../host/shell-quote.ts';

export interface LuksVolumeSpec {
  /** Raw block device, e.g. /dev/nvme1n1. */
  device: string;
  /** Mapper name: /dev/mapper/<name>. */
  name: string;
  /** Key file on the node (root, 0400): made there from /dev/urandom, never sent or stored. */
  keyFile: string;
  mountPoint: string;
  /** `user:group` owning the mounted file system's root. */
  mountOwner: string;
  /** Destroy an existing non-LUKS signature on the device. */
  wipeExisting: boolean;
}

/** Host paths as commands see them (identity over SSH; rooted for the local executor). */
export type HostPath = (path: string) => string;

const identity: HostPath = (p) => p;

// Plain characters only: the boot unit (renderScratchUnit) puts these values in systemd command
// lines, whose quoting is not the shell's.
export function validateLuksSpec(spec: LuksVolumeSpec): void {
  if (!/^\/dev\/[A-Za-z0-9/_.:-]+$/.test(spec.device)) throw new Error(`bad device: ${spec.device}`);
  if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(spec.name)) throw new Error(`bad mapper name: ${spec.name}`);
  for (const p of [spec.keyFile, spec.mountPoint]) {
    if (!/^\/[A-Za-z0-9/_.-]+$/.test(p) || p.split('/').includes('..')) throw new Error(`bad path: ${p}`);
  }
  if (!/^([a-z_][a-z0-9_-]*|\d+):([a-z_][a-z0-9_-]*|\d+)$/.test(spec.mountOwner))
    throw new Error(`bad owner: ${spec.mountOwner}`);
}

export function planLuksCreate(spec: LuksVolumeSpec, at: HostPath = identity): string[] {
  validateLuksSpec(spec);
  const dev = q(at(spec.device));
  const key = q(at(spec.keyFile));
  const mapped = q(at(`/dev/mapper/${spec.name}`));
  const keyDir = q(at(spec.keyFile.slice(0, spec.keyFile.lastIndexOf('/')) || '/'));
  const format = [
    'cryptsetup luksFormat --batch-mode --type luks2 --cipher aes-xts-plain64 --key-size 512',
    `--pbkdf argon2id --label enclave-scratch --key-file ${key} ${dev}`,
  ].join(' ');
  const refuse = `echo ${q(`${spec.device} holds a file system or partition table; set wipeExisting to destroy it`)} >&2; exit 4`;
  return [
    `install -d -m 0700 ${keyDir}`,
    `test -s ${key} || (umask 0277 && head -c 64 /dev/urandom > ${key})`,
    `chmod 0400 ${key}`,
    spec.wipeExisting
      ? `cryptsetup isLuks ${dev} || { wipefs --all ${dev} && ${format}; }`
      : `cryptsetup isLuks ${dev} || { if blkid -p ${dev} >/dev/null 2>&1; then ${refuse}; fi; ${format}; }`,
    ...planLuksOpen(spec, at),
    `blkid ${mapped} >/dev/null 2>&1 || mkfs.ext4 -q -L enclave-scratch ${mapped}`,
    ...planLuksMount(spec, at),
  ];
}

export function planLuksOpen(spec: LuksVolumeSpec, at: HostPath = identity): string[] {
  return [
    `cryptsetup status ${q(spec.name)} >/dev/null 2>&1 || cryptsetup open --type luks2 --key-file ${q(at(spec.keyFile))} ${q(at(spec.device))} ${q(spec.name)}`,
  ];
}

export function planLuksMount(spec: LuksVolumeSpec, at: HostPath = identity): string[] {
  const mount = q(at(spec.mountPoint));
  return [
    `mkdir -p ${mount}`,
    `mountpoint -q ${mount} || mount -o nodev,nosuid,noexec ${q(at(`/dev/mapper/${spec.name}`))} ${mount}`,
    `chown ${q(spec.mountOwner)} ${mount}`,
    `chmod 0700 ${mount}`,
  ];
}

/** Unmount, close, then erase the LUKS header and key slots: the data is unrecoverable after. */
export function planLuksDestroy(spec: LuksVolumeSpec, at: HostPath = identity): string[] {
  validateLuksSpec(spec);
  const mount = q(at(spec.mountPoint));
  const dev = q(at(spec.device));
  return [
    `! mountpoint -q ${mount} || umount ${mount}`,
    `! cryptsetup status ${q(spec.name)} >/dev/null 2>&1 || cryptsetup close ${q(spec.name)}`,
    `! cryptsetup isLuks ${dev} || cryptsetup erase --batch-mode ${dev}`,
    `! cryptsetup isLuks ${dev} || wipefs --all ${dev}`,
    `rm -f ${q(at(spec.keyFile))}`,
  ];
}

/** Boot-time unit: open and mount the volume before the agent starts (values are validated plain). */
export function renderScratchUnit(spec: LuksVolumeSpec): string {
  validateLuksSpec(spec);
  const { device, name, keyFile, mountPoint, mountOwner } = spec;
  return [
    '# Opens and mounts the LUKS2 scratch volume (key file on this node) before the agent starts.',
    '[Unit]',
    'Description=Enclave encrypted scratch volume',
    'DefaultDependencies=no',
    'After=local-fs.target',
    'Before=enclave-agent.service',
    '',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    `ExecStart=/bin/sh -c "cryptsetup status ${name} >/dev/null 2>&1 || cryptsetup open --type luks2 --key-file ${keyFile} ${device} ${name}"`,
    `ExecStart=/bin/mkdir -p ${mountPoint}`,
    `ExecStart=/bin/sh -c "mountpoint -q ${mountPoint} || mount -o nodev,nosuid,noexec /dev/mapper/${name} ${mountPoint}"`,
    `ExecStart=/bin/chown ${mountOwner} ${mountPoint}`,
    `ExecStart=/bin/chmod 0700 ${mountPoint}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
