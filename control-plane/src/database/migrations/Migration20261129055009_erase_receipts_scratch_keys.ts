import { Migration } from '@mikro-orm/migrations';

// Node erase orders and their signed receipts (privacy/), per-node scratch volume keys (agent/).
// Only these two tables: the privacy-evidence tables belong to their own migration.
export class Migration20261129055009_erase_receipts_scratch_keys extends Migration {
  override name = 'Migration20261129055009_erase_receipts_scratch_keys';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`node_erase_order\` (\`id\` text not null primary key, \`tenant_id\` text not null, \`request_id\` text not null, \`node_id\` text not null, \`key_ids\` json not null, \`ordered_at\` datetime not null, \`status\` text check (\`status\` in ('pending', 'erased', 'failed')) not null, \`receipt\` json null, \`received_at\` datetime null);`,
    );
    this.addSql(
      `create index \`node_erase_order_request_id_index\` on \`node_erase_order\` (\`request_id\`);`,
    );

    this.addSql(
      `create table \`node_scratch_key\` (\`node_id\` text not null primary key, \`key_id\` text not null, \`created_at\` datetime not null);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`node_erase_order\`;`);
    this.addSql(`drop table if exists \`node_scratch_key\`;`);
  }
}
