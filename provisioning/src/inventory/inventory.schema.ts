// The inventory file a client's IT team writes: every host of the appliance, its roles, how to
// reach it over SSH, its GPUs and scratch device, and the facility networks GPU nodes may reach.
// Cross-field rules (role counts, scratch devices) are refinements here so that every refusal
// names the field path to fix.
import { isIP } from 'node:net';
import { z } from 'zod';

export const HostRole = {
  CONTROL_PLANE: 'control-plane',
  KAFKA_BROKER: 'kafka-broker',
  GPU_NODE: 'gpu-node',
} as const;
export type HostRole = (typeof HostRole)[keyof typeof HostRole];

export const InventoryMode = { PRODUCTION: 'production', LAB: 'lab' } as const;
export type InventoryMode = (typeof InventoryMode)[keyof typeof InventoryMode];

/** Production needs a Kafka quorum that survives one broker loss. */
export const MIN_PRODUCTION_BROKERS = 3;

const ipAddress = z.string().refine((v) => isIP(v) !== 0, 'must be an IPv4 or IPv6 address');

function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  const family = isIP(address);
  if (family === 0 || !/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

const cidr = z.string().refine(isCidr, 'must be a CIDR such as 10.20.0.0/16 or fd00::/64');

/** Host names become systemd unit names, Kafka principals and certificate CNs. */
const hostName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'must be lowercase letters, digits and dashes (max 63), starting with a letter or digit',
  );

const absoluteDevice = z
  .string()
  .regex(/^\/dev\/[A-Za-z0-9/_.:-]+$/, 'must be a block device path under /dev/');

export const GpuSchema = z
  .object({
    model: z.string().min(1, 'must not be empty').max(100),
    count: z.int().min(1).max(16),
    vramGiB: z.int().min(1).max(1024),
  })
  .strict();

export const SshSchema = z
  .object({
    user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a POSIX user name'),
    port: z.int().min(1).max(65_535).default(22),
    /** Private key on the installing machine; the key itself never enters Pulumi state. */
    identityFile: z.string().startsWith('/', 'must be an absolute path').optional(),
  })
  .strict();

export const HostSchema = z
  .object({
    name: hostName,
    address: ipAddress,
    roles: z
      .array(z.enum([HostRole.CONTROL_PLANE, HostRole.KAFKA_BROKER, HostRole.GPU_NODE]))
      .min(1, 'must list at least one role'),
    ssh: SshSchema,
    gpus: z.array(GpuSchema).optional(),
    /** Raw block device for the LUKS2 scratch volume; everything on it is destroyed. */
    scratchDevice: absoluteDevice.optional(),
  })
  .strict();

export const InventorySchema = z
  .object({
    version: z.literal(1, 'must be 1'),
    mode: z.enum([InventoryMode.PRODUCTION, InventoryMode.LAB]),
    appliance: z
      .object({
        name: hostName,
        /** Port of the control plane's HTTPS API on its host. */
        apiPort: z.int().min(1).max(65_535).default(8443),
      })
      .strict(),
    facility: z
      .object({
        /** Networks GPU nodes may open connections to (the appliance's own hosts are added). */
        egressAllowlist: z.array(cidr).default([]),
      })
      .strict(),
    nvidia: z
      .object({
        /** Debian package of the driver, e.g. nvidia-driver (Debian) or nvidia-driver-570. */
        driverPackage: z
          .string()
          .regex(/^[a-z0-9][a-z0-9.+-]*$/, 'must be a Debian package name')
          .default('nvidia-driver'),
      })
      .strict()
      .default({ driverPackage: 'nvidia-driver' }),
    hosts: z.array(HostSchema).min(1, 'must list at least one host'),
  })
  .strict()
  .superRefine((inv, ctx) => {
    const seenNames = new Map<string, number>();
    const seenAddresses = new Map<string, number>();
    inv.hosts.forEach((host, i) => {
      const nameAt = seenNames.get(host.name);
      if (nameAt !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['hosts', i, 'name'],
          message: `duplicates hosts[${nameAt}].name`,
        });
      } else seenNames.set(host.name, i);
      const addressAt = seenAddresses.get(host.address);
      if (addressAt !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['hosts', i, 'address'],
          message: `duplicates hosts[${addressAt}].address`,
        });
      } else seenAddresses.set(host.address, i);
      if (new Set(host.roles).size !== host.roles.length) {
        ctx.addIssue({ code: 'custom', path: ['hosts', i, 'roles'], message: 'must not repeat a role' });
      }
      const isGpuNode = host.roles.includes(HostRole.GPU_NODE);
      if (isGpuNode && host.scratchDevice === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['hosts', i, 'scratchDevice'],
          message: 'required for a gpu-node (a raw block device for the encrypted scratch volume)',
        });
      }
      if (isGpuNode && (host.gpus === undefined || host.gpus.length === 0)) {
        ctx.addIssue({
          code: 'custom',
          path: ['hosts', i, 'gpus'],
          message: 'required for a gpu-node (at least one entry)',
        });
      }
      if (!isGpuNode && host.gpus !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['hosts', i, 'gpus'], message: 'only a gpu-node has gpus' });
      }
    });
    const count = (role: HostRole) => inv.hosts.filter((h) => h.roles.includes(role)).length;
    if (count(HostRole.CONTROL_PLANE) !== 1) {
      ctx.addIssue({ code: 'custom', path: ['hosts'], message: 'must have exactly one control-plane host' });
    }
    const brokers = count(HostRole.KAFKA_BROKER);
    const minBrokers = inv.mode === InventoryMode.PRODUCTION ? MIN_PRODUCTION_BROKERS : 1;
    if (brokers < minBrokers) {
      ctx.addIssue({
        code: 'custom',
        path: ['hosts'],
        message: `${inv.mode} mode needs at least ${minBrokers} kafka-broker host(s), found ${brokers}`,
      });
    }
    if (count(HostRole.GPU_NODE) === 0) {
      ctx.addIssue({ code: 'custom', path: ['hosts'], message: 'must have at least one gpu-node host' });
    }
  });

export type Inventory = z.output<typeof InventorySchema>;
export type InventoryHost = Inventory['hosts'][number];
