import { Migration } from '@mikro-orm/migrations';

export class Migration20261129074500_erase_resend_rectification extends Migration {
  override name = 'Migration20261129074500_erase_resend_rectification';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`node_erase_order\` add column \`attempts\` integer not null default 1;`);
    this.addSql(`alter table \`node_erase_order\` add column \`last_sent_at\` datetime null;`);
    this.addSql(
      `create index \`node_erase_order_status_node_id_index\` on \`node_erase_order\` (\`status\`, \`node_id\`);`,
    );
    this.addSql(`alter table \`privacy_request\` add column \`correction\` json null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index \`node_erase_order_status_node_id_index\`;`);
    this.addSql(`alter table \`node_erase_order\` drop column \`attempts\`;`);
    this.addSql(`alter table \`node_erase_order\` drop column \`last_sent_at\`;`);
    this.addSql(`alter table \`privacy_request\` drop column \`correction\`;`);
  }
}
