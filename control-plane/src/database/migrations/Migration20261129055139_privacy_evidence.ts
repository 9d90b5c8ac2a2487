import { Migration } from '@mikro-orm/migrations';

export class Migration20261129055139_privacy_evidence extends Migration {
  override name = 'Migration20261129055139_privacy_evidence';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`privacy_notice\` (\`id\` text not null primary key, \`tenant_id\` text not null, \`version\` integer not null, \`material\` integer not null, \`text_sha256\` text not null, \`text\` text not null, \`published_at\` datetime not null, \`published_by\` text not null, constraint \`privacy_notice_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`));`,
    );
    this.addSql(`create index \`privacy_notice_tenant_id_index\` on \`privacy_notice\` (\`tenant_id\`);`);
    this.addSql(
      `create unique index \`privacy_notice_tenant_id_version_unique\` on \`privacy_notice\` (\`tenant_id\`, \`version\`);`,
    );

    this.addSql(
      `create table \`consent_record\` (\`id\` text not null primary key, \`tenant_id\` text not null, \`user_id\` text not null, \`notice_id\` text not null, \`notice_version\` integer not null, \`shown_text_sha256\` text not null, \`analytics\` integer not null, \`personalisation\` integer not null, \`marketing\` integer not null, \`recorded_at\` datetime not null, constraint \`consent_record_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`));`,
    );
    this.addSql(`create index \`consent_record_tenant_id_index\` on \`consent_record\` (\`tenant_id\`);`);
    this.addSql(
      `create index \`consent_record_tenant_id_user_id_index\` on \`consent_record\` (\`tenant_id\`, \`user_id\`);`,
    );
    this.addSql(
      `create index \`consent_record_tenant_id_notice_version_index\` on \`consent_record\` (\`tenant_id\`, \`notice_version\`);`,
    );

    this.addSql(
      `create table \`breach\` (\`id\` text not null primary key, \`tenant_id\` text not null, \`detected_at\` datetime not null, \`description\` text not null, \`scope_project_ids\` json null, \`scope_from\` datetime not null, \`scope_to\` datetime not null, \`status\` text check (\`status\` in ('open', 'contained', 'notified', 'closed')) not null, \`notify_by\` datetime not null, \`created_at\` datetime not null, \`created_by\` text not null, constraint \`breach_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`));`,
    );
    this.addSql(`create index \`breach_tenant_id_index\` on \`breach\` (\`tenant_id\`);`);
    this.addSql(
      `create index \`breach_tenant_id_detected_at_index\` on \`breach\` (\`tenant_id\`, \`detected_at\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`privacy_notice\`;`);
    this.addSql(`drop table if exists \`consent_record\`;`);
    this.addSql(`drop table if exists \`breach\`;`);
  }
}
