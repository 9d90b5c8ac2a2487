// The control-plane host: its environment file and unit, and every enrollment token (made there,
// where the CA is). With the `ca-dir` token source the unit starts only after the tokens exist,
// because the control plane imports the CA directory's records once, at its first start.
import * as pulumi from '@pulumi/pulumi';
import type { HostConnection } from '../host/host-executor.ts';
import type { TokenSource } from '../providers/enrollment-token.provider.ts';
import { EnrollmentToken, HostCertificate, RemoteFile, SystemdUnit } from '../providers/resources.ts';
import {
  CONTROL_PLANE_PATHS,
  renderControlPlaneEnv,
  renderControlPlaneUnit,
} from '../render/control-plane.render.ts';

export interface TokenRequest {
  node: string;
  profile: 'node' | 'broker';
  serverAuth: boolean;
  ipAddresses: string[];
}

export interface ControlPlaneHostArgs {
  name: string;
  address: string;
  connection: HostConnection;
  apiPort: number;
  agentPort: number;
  kafkaBootstrap: string;
  tokenSource: TokenSource;
  apiToken?: pulumi.Input<string>;
  tokens: readonly TokenRequest[];
  tokenGeneration: number;
}

export class ControlPlaneHost extends pulumi.ComponentResource {
  readonly unit: SystemdUnit;
  readonly tokens: ReadonlyMap<string, EnrollmentToken>;
  /** The API listener's URL: agents enroll there (`/api/v1/enroll`); their mTLS listener is agentPort. */
  readonly apiUrl: string;

  constructor(name: string, args: ControlPlaneHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super('enclave:appliance:ControlPlaneHost', name, {}, opts);
    const child = { parent: this };
    const host = args.address.includes(':') ? `[${args.address}]` : args.address;
    this.apiUrl = `https://${host}:${args.apiPort}`;

    const tokens = new Map<string, EnrollmentToken>();
    for (const request of args.tokens) {
      tokens.set(
        request.node,
        new EnrollmentToken(
          `${name}-token-${request.node}`,
          {
            connection: args.connection,
            source: args.tokenSource,
            ...(args.apiToken === undefined ? {} : { apiToken: pulumi.secret(args.apiToken) }),
            node: request.node,
            profile: request.profile,
            ttlHours: 168,
            serverAuth: request.serverAuth,
            dnsNames: [],
            ipAddresses: request.ipAddresses,
            generation: args.tokenGeneration,
          },
          child,
        ),
      );
    }
    this.tokens = tokens;

    const env = new RemoteFile(
      `${name}-env`,
      {
        connection: args.connection,
        path: CONTROL_PLANE_PATHS.env,
        content: renderControlPlaneEnv({
          bind: args.address,
          apiPort: args.apiPort,
          agentPort: args.agentPort,
          kafkaBootstrap: args.kafkaBootstrap,
        }),
        mode: 0o640,
        owner: 'root:enclave',
      },
      child,
    );
    // Its certificate (HTTPS server and Kafka client) is issued where the CA is, on this host:
    // the key never leaves it.
    const serverCert = new HostCertificate(
      `${name}-tls`,
      {
        connection: args.connection,
        enclaveBin: CONTROL_PLANE_PATHS.enclaveBin,
        caDir: CONTROL_PLANE_PATHS.caDir,
        profile: 'control-plane',
        name: args.name,
        outDir: CONTROL_PLANE_PATHS.tlsDir,
        owner: 'enclave:enclave',
        serverAuth: true,
        dnsNames: [],
        ipAddresses: [args.address],
      },
      child,
    );
    this.unit = new SystemdUnit(
      `${name}-unit`,
      {
        connection: args.connection,
        name: 'enclave-control-plane.service',
        content: renderControlPlaneUnit(),
        enable: true,
        start: true,
      },
      { parent: this, dependsOn: [env, serverCert, ...tokens.values()] },
    );
    this.registerOutputs({ apiUrl: this.apiUrl });
  }
}
