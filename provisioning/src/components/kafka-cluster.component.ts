// N KRaft brokers (each also a controller): configuration, unit, and the broker's enrollment
// token delivered as a root-only file. The broker makes its own key when it enrolls; no key
// passes through this program.
import * as pulumi from '@pulumi/pulumi';
import type { HostConnection } from '../host/host-executor.ts';
import type { EnrollmentToken } from '../providers/resources.ts';
import { RemoteFile, SystemdUnit } from '../providers/resources.ts';
import {
  KAFKA_PATHS,
  bootstrapServers,
  kafkaClusterId,
  renderClusterServerProperties,
  renderKafkaUnit,
  type KafkaBroker,
} from '../render/kafka-broker.render.ts';

export interface KafkaClusterArgs {
  applianceName: string;
  brokers: readonly (KafkaBroker & { connection: HostConnection })[];
  tokens: ReadonlyMap<string, EnrollmentToken>;
}

export class KafkaCluster extends pulumi.ComponentResource {
  readonly bootstrap: string;
  readonly clusterId: string;
  readonly units: SystemdUnit[] = [];
  readonly brokerCount: number;

  constructor(name: string, args: KafkaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('enclave:appliance:KafkaCluster', name, {}, opts);
    this.bootstrap = bootstrapServers(args.brokers);
    this.clusterId = kafkaClusterId(args.applianceName);
    this.brokerCount = args.brokers.length;
    args.brokers.forEach((broker, index) => {
      const child = { parent: this };
      const token = args.tokens.get(broker.name);
      if (!token) throw new Error(`no enrollment token for broker ${broker.name}`);
      const config = new RemoteFile(
        `${name}-${broker.name}-config`,
        {
          connection: broker.connection,
          path: KAFKA_PATHS.config,
          content: renderClusterServerProperties(args.brokers, index),
          mode: 0o640,
          owner: 'root:enclave-kafka',
        },
        child,
      );
      const enroll = new RemoteFile(
        `${name}-${broker.name}-enroll`,
        {
          connection: broker.connection,
          path: KAFKA_PATHS.enrollEnv,
          content: pulumi.secret(token.token.apply((t) => `ENCLAVE_BROKER_TOKEN=${t}\n`)),
          mode: 0o600,
          owner: 'root:root',
        },
        child,
      );
      this.units.push(
        new SystemdUnit(
          `${name}-${broker.name}-unit`,
          {
            connection: broker.connection,
            name: 'enclave-kafka.service',
            content: renderKafkaUnit(this.clusterId),
            enable: true,
            start: true,
          },
          { parent: this, dependsOn: [config, enroll] },
        ),
      );
    });
    this.registerOutputs({ bootstrap: this.bootstrap, clusterId: this.clusterId });
  }
}
