import { Migration } from '@mikro-orm/migrations';

export class Migration20261129073829_upload_sessions extends Migration {
  override name = 'Migration20261129073829_upload_sessions';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`upload_session\` (\`id\` text not null primary key, \`tenant_id\` text not null, \`project_id\` text not null, \`created_by\` text not null, \`name\` text not null, \`media_type\` text not null, \`size\` integer not null, \`sha256\` text null, \`offset\` integer not null, \`chunk_size\` integer not null, \`key_id\` text not null, \`state\` text check (\`state\` in ('receiving', 'completed')) not null default 'receiving', \`asset_id\` text null, \`created_at\` datetime not null, \`expires_at\` datetime not null, constraint \`upload_session_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`), constraint \`upload_session_project_id_foreign\` foreign key (\`project_id\`) references \`project\` (\`id\`));`,
    );
    this.addSql(`create index \`upload_session_tenant_id_index\` on \`upload_session\` (\`tenant_id\`);`);
    this.addSql(`create index \`upload_session_project_id_index\` on \`upload_session\` (\`project_id\`);`);
    this.addSql(
      `create index \`upload_session_tenant_id_project_id_index\` on \`upload_session\` (\`tenant_id\`, \`project_id\`);`,
    );
    this.addSql(`create index \`upload_session_expires_at_index\` on \`upload_session\` (\`expires_at\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`upload_session\`;`);
  }
}
