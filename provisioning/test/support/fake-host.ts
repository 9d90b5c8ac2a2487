// A host rooted in a temporary directory for the LocalExecutor. Files are real; the tools that
// need a kernel (systemctl, cryptsetup, mount, ...) are stand-ins in <root>/bin that log their
// arguments to <root>/commands.log and keep block-device state as marker files in <root>/.sim.
// `nft -c` goes to the real nft (the ruleset check is real); other nft calls are only logged.
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const log = 'echo "$(basename "$0") $*" >> "$HOST_ROOT/commands.log"';

const shims: Record<string, string> = {
  systemctl: log,
  nft: `${log}\nif [ "$1" = "-c" ]; then exec /usr/sbin/nft "$@"; fi`,
  cryptsetup: `${log}
sim="$HOST_ROOT/.sim"; mkdir -p "$sim"
for last; do :; done
case "$1" in
  isLuks) [ -e "$sim/luks" ] ;;
  luksFormat) [ -s "$(printf '%s\\n' "$@" | grep -A1 -- --key-file | tail -1)" ] && touch "$sim/luks" ;;
  status) [ -e "$sim/open-$2" ] ;;
  open) [ -e "$sim/luks" ] && touch "$sim/open-$last" ;;
  close) rm -f "$sim/open-$2" ;;
  erase) rm -f "$sim/luks" ;;
  *) exit 9 ;;
esac`,
  blkid: `${log}
sim="$HOST_ROOT/.sim"
if [ "$1" = "-p" ]; then [ -e "$sim/signature" ]; else [ -e "$sim/fs" ]; fi`,
  'mkfs.ext4': `${log}\ntouch "$HOST_ROOT/.sim/fs"`,
  wipefs: `${log}\nrm -f "$HOST_ROOT/.sim/signature" "$HOST_ROOT/.sim/luks" "$HOST_ROOT/.sim/fs"`,
  mountpoint: `${log}\n[ -e "$HOST_ROOT/.sim/mounted" ]`,
  mount: `${log}\ntouch "$HOST_ROOT/.sim/mounted"`,
  umount: `${log}\nrm -f "$HOST_ROOT/.sim/mounted"`,
};

export interface FakeHost {
  root: string;
  commands(): Promise<string[]>;
  sim(marker: string): Promise<void>;
}

export async function makeFakeHost(prefix = 'enclave-host-'): Promise<FakeHost> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(root, 'bin'));
  await mkdir(join(root, '.sim'));
  for (const [name, body] of Object.entries(shims)) {
    const file = join(root, 'bin', name);
    await writeFile(file, `#!/bin/sh\n${body}\n`);
    await chmod(file, 0o755);
  }
  return {
    root,
    async commands() {
      try {
        return (await readFile(join(root, 'commands.log'), 'utf8')).split('\n').filter((l) => l !== '');
      } catch {
        return [];
      }
    },
    async sim(marker) {
      await writeFile(join(root, '.sim', marker), '');
    },
  };
}
