import { Migration } from '@mikro-orm/migrations';

export class Migration20261129030225_add_messaging extends Migration {
  override name = 'Migration20261129030225_add_messaging';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`inbox_message\` (\`message_id\` text not null primary key, \`type\` text not null, \`topic\` text not null, \`partition\` integer not null, \`offset\` integer not null, \`applied_at\` datetime not null);`,
    );

    this.addSql(
      `create table \`outbox_message\` (\`seq\` integer not null primary key autoincrement, \`message_id\` text not null, \`type\` text not null, \`topic\` text not null, \`partition_key\` text not null, \`payload\` blob not null, \`created_at\` datetime not null, \`state\` text check (\`state\` in ('pending', 'sent')) not null default 'pending', \`sent_at\` datetime null, \`attempts\` integer not null default 0, \`last_error\` text null, \`kafka_partition\` integer null, \`kafka_offset\` integer null);`,
    );
    this.addSql(
      `create unique index \`outbox_message_message_id_unique\` on \`outbox_message\` (\`message_id\`);`,
    );
    this.addSql(
      `create index \`outbox_message_state_seq_index\` on \`outbox_message\` (\`state\`, \`seq\`);`,
    );

    this.addSql(
      `create table \`outbox_offset\` (\`topic\` text not null, \`partition\` integer not null, \`next_offset\` integer not null, \`updated_at\` datetime not null, primary key (\`topic\`, \`partition\`));`,
    );

    this.addSql(
      `create table \`quarantined_message\` (\`id\` integer not null primary key autoincrement, \`topic\` text not null, \`partition\` integer not null, \`offset\` integer not null, \`message_id\` text null, \`error_code\` text not null, \`quarantined_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`quarantined_message_topic_partition_offset_unique\` on \`quarantined_message\` (\`topic\`, \`partition\`, \`offset\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`inbox_message\`;`);
    this.addSql(`drop table if exists \`outbox_message\`;`);
    this.addSql(`drop table if exists \`outbox_offset\`;`);
    this.addSql(`drop table if exists \`quarantined_message\`;`);
  }
}
