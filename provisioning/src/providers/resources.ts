// The Pulumi resource classes of the dynamic providers. Each passes a lazyProvider (module URL +
// export name) so the serialized closure stays small; see provider-kit.ts.
import * as pulumi from '@pulumi/pulumi';
import type { HostConnection } from '../host/host-executor.ts';
import type { TokenSource } from './enrollment-token.provider.ts';
import { lazyProvider } from './provider-kit.ts';

const impl = (file: string, exportName: string) =>
  lazyProvider(new URL(file, import.meta.url).href, exportName);

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

export interface RemoteFileArgs {
  connection: HostConnection;
  path: string;
  content: string;
  mode: number;
  owner: string;
}

export class RemoteFile extends pulumi.dynamic.Resource {
  declare readonly path: pulumi.Output<string>;
  declare readonly mode: pulumi.Output<number>;
  declare readonly sha256: pulumi.Output<string>;
  constructor(name: string, args: Inputs<RemoteFileArgs>, opts?: pulumi.CustomResourceOptions) {
    super(
      impl('./remote-file.provider.ts', 'remoteFileProvider'),
      name,
      { ...args, sha256: undefined },
      opts,
      'enclave',
      'RemoteFile',
    );
  }
}

export interface SystemdUnitArgs {
  connection: HostConnection;
  name: string;
  content: string;
  enable: boolean;
  start: boolean;
}

export class SystemdUnit extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly path: pulumi.Output<string>;
  constructor(name: string, args: Inputs<SystemdUnitArgs>, opts?: pulumi.CustomResourceOptions) {
    super(
      impl('./systemd-unit.provider.ts', 'systemdUnitProvider'),
      name,
      { ...args, path: undefined, sha256: undefined },
      opts,
      'enclave',
      'SystemdUnit',
    );
  }
}

export interface NftablesRulesetArgs {
  connection: HostConnection;
  name: string;
  table: string;
  ruleset: string;
}

export class NftablesRuleset extends pulumi.dynamic.Resource {
  declare readonly table: pulumi.Output<string>;
  declare readonly ruleset: pulumi.Output<string>;
  declare readonly path: pulumi.Output<string>;
  constructor(name: string, args: Inputs<NftablesRulesetArgs>, opts?: pulumi.CustomResourceOptions) {
    super(
      impl('./nftables-ruleset.provider.ts', 'nftablesRulesetProvider'),
      name,
      { ...args, path: undefined, sha256: undefined },
      opts,
      'enclave',
      'NftablesRuleset',
    );
  }
}

export interface LuksVolumeArgs {
  connection: HostConnection;
  device: string;
  name: string;
  keyFile: string;
  mountPoint: string;
  mountOwner: string;
  wipeExisting: boolean;
}

export class LuksVolume extends pulumi.dynamic.Resource {
  declare readonly device: pulumi.Output<string>;
  declare readonly mountPoint: pulumi.Output<string>;
  constructor(name: string, args: Inputs<LuksVolumeArgs>, opts?: pulumi.CustomResourceOptions) {
    super(impl('./luks-volume.provider.ts', 'luksVolumeProvider'), name, args, opts, 'enclave', 'LuksVolume');
  }
}

export interface EnrollmentTokenArgs {
  connection: HostConnection;
  source: TokenSource;
  apiToken?: string;
  node: string;
  profile: 'node' | 'broker' | 'control-plane';
  ttlHours: number;
  serverAuth: boolean;
  dnsNames: string[];
  ipAddresses: string[];
  generation: number;
}

export class EnrollmentToken extends pulumi.dynamic.Resource {
  /** Secret: encrypted in state, masked in every display. */
  declare readonly token: pulumi.Output<string>;
  declare readonly node: pulumi.Output<string>;
  constructor(name: string, args: Inputs<EnrollmentTokenArgs>, opts?: pulumi.CustomResourceOptions) {
    super(
      impl('./enrollment-token.provider.ts', 'enrollmentTokenProvider'),
      name,
      { ...args, token: undefined },
      { ...opts, additionalSecretOutputs: ['token', 'apiToken'] },
      'enclave',
      'EnrollmentToken',
    );
  }
}

export interface HostCertificateArgs {
  connection: HostConnection;
  enclaveBin: string;
  caDir: string;
  profile: 'control-plane' | 'broker' | 'operator';
  name: string;
  outDir: string;
  owner: string;
  serverAuth: boolean;
  dnsNames: string[];
  ipAddresses: string[];
}

/** A certificate issued on the CA's own host for that host's use; the key never leaves it. */
export class HostCertificate extends pulumi.dynamic.Resource {
  declare readonly outDir: pulumi.Output<string>;
  constructor(name: string, args: Inputs<HostCertificateArgs>, opts?: pulumi.CustomResourceOptions) {
    super(
      impl('./host-certificate.provider.ts', 'hostCertificateProvider'),
      name,
      args,
      opts,
      'enclave',
      'HostCertificate',
    );
  }
}
