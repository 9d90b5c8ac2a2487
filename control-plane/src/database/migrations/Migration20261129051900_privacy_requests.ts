import { Migration } from '@mikro-orm/migrations';

export class Migration20261129051900_privacy_requests extends Migration {
  override name = 'Migration20261129051900_privacy_requests';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`privacy_request\` (\`id\` text not null primary key, \`tenant_id\` text not null, \`subject_user_id\` text not null, \`kind\` text check (\`kind\` in ('access', 'rectification', 'erasure', 'restriction', 'objection')) not null, \`status\` text check (\`status\` in ('received', 'identity-verified', 'completed', 'in-effect', 'lifted', 'rejected')) not null, \`created_by\` text not null, \`created_at\` datetime not null, \`deadline_at\` datetime not null, \`identity_verification\` text null, \`history\` json not null, \`certificate\` json null, constraint \`privacy_request_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`));`,
    );
    this.addSql(`create index \`privacy_request_tenant_id_index\` on \`privacy_request\` (\`tenant_id\`);`);
    this.addSql(
      `create index \`privacy_request_tenant_id_deadline_at_index\` on \`privacy_request\` (\`tenant_id\`, \`deadline_at\`);`,
    );
    this.addSql(
      `create index \`privacy_request_tenant_id_subject_user_id_status_index\` on \`privacy_request\` (\`tenant_id\`, \`subject_user_id\`, \`status\`);`,
    );

    this.addSql(
      `create table \`privacy_export\` (\`token_hash\` text not null primary key, \`tenant_id\` text not null, \`request_id\` text not null, \`ciphertext\` blob null, \`created_at\` datetime not null, \`downloaded_at\` datetime null, constraint \`privacy_export_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`));`,
    );
    this.addSql(`create index \`privacy_export_tenant_id_index\` on \`privacy_export\` (\`tenant_id\`);`);

    this.addSql(`alter table \`user\` add column \`adult_attested_at\` datetime null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`privacy_request\`;`);
    this.addSql(`drop table if exists \`privacy_export\`;`);

    this.addSql(`alter table \`user\` drop column \`adult_attested_at\`;`);
  }
}
