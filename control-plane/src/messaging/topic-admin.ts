// Creating and deleting node topics, over node-rdkafka's AdminClient. Both are idempotent: an
// existing topic on create and a missing one on delete count as done.
import Kafka from 'node-rdkafka';
import type { KafkaConnectionSettings, TopicSettings } from './messaging.config.ts';
import { MessagingError, MessagingErrorCode } from './messaging.errors.ts';
import { rdkafkaSecurity } from './rdkafka-settings.ts';

export interface TopicAdmin {
  ensureTopics(topics: readonly string[]): Promise<void>;
  deleteTopics(topics: readonly string[]): Promise<void>;
}

export interface RdkafkaTopicAdminOptions {
  readonly kafka: KafkaConnectionSettings;
  readonly topics: TopicSettings;
  readonly timeoutMs: number;
}

export class RdkafkaTopicAdmin implements TopicAdmin {
  readonly #options: RdkafkaTopicAdminOptions;

  constructor(options: RdkafkaTopicAdminOptions) {
    this.#options = options;
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    await this.#withClient(async (admin) => {
      for (const topic of topics) {
        await new Promise<void>((resolve, reject) => {
          admin.createTopic(
            {
              topic,
              num_partitions: this.#options.topics.partitions,
              replication_factor: this.#options.topics.replicationFactor,
            },
            this.#options.timeoutMs,
            (error) => {
              if (!error || error.code === Kafka.CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS) resolve();
              else reject(failed(`creating ${topic}`, error));
            },
          );
        });
      }
    });
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    await this.#withClient(async (admin) => {
      for (const topic of topics) {
        await new Promise<void>((resolve, reject) => {
          admin.deleteTopic(topic, this.#options.timeoutMs, (error) => {
            if (!error || error.code === Kafka.CODES.ERRORS.ERR_UNKNOWN_TOPIC_OR_PART) resolve();
            else reject(failed(`deleting ${topic}`, error));
          });
        });
      }
    });
  }

  async #withClient(work: (admin: Kafka.IAdminClient) => Promise<void>): Promise<void> {
    // A client per call: enrollment is rare, and a new client reads a rotated certificate.
    const admin = Kafka.AdminClient.create(rdkafkaSecurity(this.#options.kafka, 'topic-admin'));
    try {
      await work(admin);
    } finally {
      admin.disconnect();
    }
  }
}

function failed(what: string, error: Kafka.LibrdKafkaError): MessagingError {
  return new MessagingError(
    MessagingErrorCode.KAFKA_REQUEST_FAILED,
    `Kafka admin: ${what} failed: ${error.message} (librdkafka ${error.code})`,
  );
}
