import { Migration } from '@mikro-orm/migrations';

export class Migration20261129090807_account_closure_reminders extends Migration {
  override name = 'Migration20261129090807_account_closure_reminders';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`privacy_request\` add column \`reminders_sent\` json null;`);

    this.addSql(`alter table \`user\` add column \`closed_at\` datetime null;`);
    this.addSql(`alter table \`user\` add column \`legal_hold_at\` datetime null;`);
    this.addSql(`alter table \`user\` add column \`erased_at\` datetime null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`privacy_request\` drop column \`reminders_sent\`;`);

    this.addSql(`alter table \`user\` drop column \`closed_at\`;`);
    this.addSql(`alter table \`user\` drop column \`legal_hold_at\`;`);
    this.addSql(`alter table \`user\` drop column \`erased_at\`;`);
  }
}
