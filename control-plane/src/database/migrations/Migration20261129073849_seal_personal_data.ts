// Personal-data columns of `user` become sealed (issue #6): email and display name are replaced
// by columns sealed under the person's subject key plus a blind index of the email, which takes
// over the unique constraint. A migration cannot seal (the master key exists only once the key
// ring is open), so existing plaintext moves to `unsealed_user`, which start-up seals and empties
// (keys/unsealed-users.backfill.ts) before any request is served.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261129073849_seal_personal_data extends Migration {
  override name = 'Migration20261129073849_seal_personal_data';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`unsealed_user\` (\`user_id\` text not null primary key, \`email\` text not null, \`display_name\` text not null);`,
    );
    this.addSql(
      `insert into \`unsealed_user\` (\`user_id\`, \`email\`, \`display_name\`) select \`id\`, \`email\`, \`display_name\` from \`user\`;`,
    );

    this.addSql(`drop index \`user_email_unique\`;`);
    this.addSql(`alter table \`user\` drop column \`email\`;`);
    this.addSql(`alter table \`user\` drop column \`display_name\`;`);
    this.addSql(`alter table \`user\` add column \`subject_key_id\` text null;`);
    this.addSql(`alter table \`user\` add column \`email_index\` text null;`);
    this.addSql(`alter table \`user\` add column \`email_sealed\` json null;`);
    this.addSql(`alter table \`user\` add column \`display_name_sealed\` json null;`);
    this.addSql(`create unique index \`user_email_index_unique\` on \`user\` (\`email_index\`);`);
  }

  // Down cannot unseal (no key ring here): accounts come back with empty email and name.
  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`unsealed_user\`;`);

    this.addSql(`drop index \`user_email_index_unique\`;`);
    this.addSql(`alter table \`user\` drop column \`subject_key_id\`;`);
    this.addSql(`alter table \`user\` drop column \`email_index\`;`);
    this.addSql(`alter table \`user\` drop column \`email_sealed\`;`);
    this.addSql(`alter table \`user\` drop column \`display_name_sealed\`;`);
    this.addSql(`alter table \`user\` add column \`email\` TEXT not null default '';`);
    this.addSql(`alter table \`user\` add column \`display_name\` TEXT not null default '';`);
    this.addSql(`create unique index \`user_email_unique\` on \`user\` (\`email\`);`);
  }
}
