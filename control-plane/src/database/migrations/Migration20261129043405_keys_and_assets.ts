import { Migration } from '@mikro-orm/migrations';

// Keys (wrapped keys, the destroyed-keys journal, the store's meta, project DEKs) and the asset
// columns of the encrypted store. Existing asset rows become stored uploads.
export class Migration20261129043405_keys_and_assets extends Migration {
  override name = 'Migration20261129043405_keys_and_assets';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`destroyed_key\` (\`seq\` integer not null primary key autoincrement, \`key_id\` text not null, \`kind\` text not null, \`tenant_id\` text not null, \`destroyed_at\` text not null, \`reason\` text not null);`,
    );
    this.addSql(`create unique index \`destroyed_key_key_id_unique\` on \`destroyed_key\` (\`key_id\`);`);

    this.addSql(
      `create table \`key_store_meta\` (\`id\` integer not null primary key autoincrement, \`master_key_id\` text not null, \`passphrase_params\` json null);`,
    );

    this.addSql(
      `create table \`project_key\` (\`project_id\` text not null primary key, \`tenant_id\` text not null, \`key_id\` text not null, \`created_at\` datetime not null, \`destroyed_at\` datetime null);`,
    );
    this.addSql(`create unique index \`project_key_key_id_unique\` on \`project_key\` (\`key_id\`);`);

    this.addSql(
      `create table \`wrapped_key\` (\`key_id\` text not null primary key, \`kind\` text not null, \`tenant_id\` text not null, \`parent_id\` text not null, \`created_at\` text not null, \`wrapped\` json not null);`,
    );
    this.addSql(
      `create index \`wrapped_key_tenant_id_kind_index\` on \`wrapped_key\` (\`tenant_id\`, \`kind\`);`,
    );
    this.addSql(`create index \`wrapped_key_parent_id_index\` on \`wrapped_key\` (\`parent_id\`);`);

    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`asset__temp_alter\` (\`id\` text not null primary key, \`tenant_id\` text not null, \`project_id\` text not null, \`name\` text not null, \`media_type\` text not null, \`size_bytes\` integer not null, \`sha256\` text not null, \`storage_key\` text not null, \`created_at\` datetime not null, \`origin\` text check (\`origin\` in ('upload', 'task')) not null default 'upload', \`task_id\` text null, \`key_id\` text null, \`state\` text check (\`state\` in ('stored', 'erased')) not null default 'stored', \`erased_at\` datetime null, constraint \`asset_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`), constraint \`asset_project_id_foreign\` foreign key (\`project_id\`) references \`project\` (\`id\`));`,
    );
    this.addSql(
      `insert into \`asset__temp_alter\` select \`id\`, \`tenant_id\`, \`project_id\`, \`name\`, \`media_type\`, \`size_bytes\`, \`sha256\`, \`storage_key\`, \`created_at\`, 'upload' as \`origin\`, null as \`task_id\`, null as \`key_id\`, 'stored' as \`state\`, null as \`erased_at\` from \`asset\`;`,
    );
    this.addSql(`drop table \`asset\`;`);
    this.addSql(`alter table \`asset__temp_alter\` rename to \`asset\`;`);
    this.addSql(`create index \`asset_tenant_id_index\` on \`asset\` (\`tenant_id\`);`);
    this.addSql(`create index \`asset_project_id_index\` on \`asset\` (\`project_id\`);`);
    this.addSql(`create unique index \`asset_storage_key_unique\` on \`asset\` (\`storage_key\`);`);
    this.addSql(
      `create index \`asset_tenant_id_project_id_index\` on \`asset\` (\`tenant_id\`, \`project_id\`);`,
    );
    this.addSql(`create index \`asset_task_id_index\` on \`asset\` (\`task_id\`);`);
    this.addSql(`pragma foreign_keys = on;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`destroyed_key\`;`);
    this.addSql(`drop table if exists \`key_store_meta\`;`);
    this.addSql(`drop table if exists \`project_key\`;`);
    this.addSql(`drop table if exists \`wrapped_key\`;`);

    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`asset__temp_alter\` (\`id\` TEXT not null primary key, \`tenant_id\` TEXT not null, \`project_id\` TEXT not null, \`name\` TEXT not null, \`media_type\` TEXT not null, \`size_bytes\` INTEGER not null, \`sha256\` TEXT not null, \`storage_key\` TEXT not null, \`created_at\` datetime not null, constraint \`asset_project_id_foreign\` foreign key (\`project_id\`) references \`project\` (\`id\`) on update no action on delete no action, constraint \`asset_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`) on update no action on delete no action);`,
    );
    this.addSql(
      `insert into \`asset__temp_alter\` select \`id\`, \`tenant_id\`, \`project_id\`, \`name\`, \`media_type\`, \`size_bytes\`, \`sha256\`, \`storage_key\`, \`created_at\` from \`asset\`;`,
    );
    this.addSql(`drop table \`asset\`;`);
    this.addSql(`alter table \`asset__temp_alter\` rename to \`asset\`;`);
    this.addSql(
      `create index \`asset_tenant_id_project_id_index\` on \`asset\` (\`tenant_id\`, \`project_id\`);`,
    );
    this.addSql(`create unique index \`asset_storage_key_unique\` on \`asset\` (\`storage_key\`);`);
    this.addSql(`create index \`asset_project_id_index\` on \`asset\` (\`project_id\`);`);
    this.addSql(`create index \`asset_tenant_id_index\` on \`asset\` (\`tenant_id\`);`);
    this.addSql(`pragma foreign_keys = on;`);
  }
}
