import { Migration } from '@mikro-orm/migrations';

export class Migration20261129042926_privacy_audit_retention extends Migration {
  override name = 'Migration20261129042926_privacy_audit_retention';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`audit_checkpoint\` (\`seq\` integer not null primary key, \`hash\` text not null, \`time\` text not null, \`signature\` text not null);`,
    );

    this.addSql(
      `create table \`audit_entry\` (\`seq\` integer not null primary key, \`time\` text not null, \`actor\` text not null, \`tenant_id\` text null, \`action\` text not null, \`targets\` json not null, \`details\` json null, \`prev_hash\` text not null, \`hash\` text not null);`,
    );

    // Append-only (declared on the entities as triggers): the database refuses to change or
    // remove an audit row.
    for (const table of ['audit_entry', 'audit_checkpoint']) {
      for (const event of ['update', 'delete']) {
        this.addSql(
          `create trigger \`${table}_append_only_${event}\` BEFORE ${event.toUpperCase()} on \`${table}\` for each ROW begin select raise(abort, 'audit log rows are immutable'); end;`,
        );
      }
    }

    this.addSql(
      `create table \`retention_policy\` (\`tenant_id\` text not null primary key, \`default_days\` integer not null, \`updated_at\` datetime not null, constraint \`retention_policy_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`) on update cascade on delete cascade);`,
    );
    this.addSql(`create index \`retention_policy_tenant_id_index\` on \`retention_policy\` (\`tenant_id\`);`);

    this.addSql(
      `create table \`legal_hold\` (\`id\` text not null primary key, \`tenant_id\` text not null, \`project_id\` text not null, \`placed_by\` text not null, \`placed_at\` datetime not null, \`released_by\` text null, \`released_at\` datetime null, constraint \`legal_hold_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`), constraint \`legal_hold_project_id_foreign\` foreign key (\`project_id\`) references \`project\` (\`id\`));`,
    );
    this.addSql(`create index \`legal_hold_tenant_id_index\` on \`legal_hold\` (\`tenant_id\`);`);
    this.addSql(`create index \`legal_hold_project_id_index\` on \`legal_hold\` (\`project_id\`);`);
    this.addSql(
      `create index \`legal_hold_tenant_id_project_id_released_at_index\` on \`legal_hold\` (\`tenant_id\`, \`project_id\`, \`released_at\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`audit_checkpoint\`;`);
    this.addSql(`drop table if exists \`audit_entry\`;`);
    this.addSql(`drop table if exists \`retention_policy\`;`);
    this.addSql(`drop table if exists \`legal_hold\`;`);
  }
}
