import { Migration } from '@mikro-orm/migrations';

export class Migration20261129024048_initial extends Migration {
  override name = 'Migration20261129024048_initial';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`crl_number\` (\`issuer\` text not null primary key, \`last\` integer not null);`,
    );

    this.addSql(
      `create table \`enrollment_token\` (\`secret_hash\` text not null primary key, \`name\` text not null, \`profile\` text not null, \`server_auth\` integer not null, \`dns_names\` json not null, \`ip_addresses\` json not null, \`created_at\` text not null, \`expires_at\` text not null, \`created_by\` text not null, \`used_at\` text null);`,
    );

    this.addSql(
      `create table \`issuance_log\` (\`seq\` integer not null primary key, \`event\` text not null, \`serial\` text not null, \`subject\` text not null, \`principal\` text not null, \`profile\` text null, \`fingerprint256\` text not null, \`not_after\` text not null, \`actor\` text not null, \`at\` text not null, \`previous_serial\` text null, \`reason\` text null, \`prev_hash\` text not null, \`hash\` text not null);`,
    );
    this.addSql(`create unique index \`issuance_log_hash_unique\` on \`issuance_log\` (\`hash\`);`);
    this.addSql(`create index \`issuance_log_serial_index\` on \`issuance_log\` (\`serial\`);`);
    this.addSql(`create index \`issuance_log_principal_index\` on \`issuance_log\` (\`principal\`);`);

    this.addSql(
      `create table \`revocation\` (\`serial\` text not null primary key, \`principal\` text not null, \`reason\` text not null, \`revoked_at\` text not null, \`not_after\` text not null, \`actor\` text not null, \`issuer\` text not null);`,
    );
    this.addSql(`create index \`revocation_issuer_index\` on \`revocation\` (\`issuer\`);`);

    this.addSql(
      `create table \`scheduler_counters\` (\`id\` integer not null primary key autoincrement, \`job_seq\` integer not null default 0, \`placement_seq\` integer not null default 0);`,
    );

    this.addSql(
      `create table \`tenant\` (\`id\` text not null primary key, \`name\` text not null, \`created_at\` datetime not null, \`scheduler_weight\` integer not null default 1, \`scheduler_last_served\` integer not null default 0);`,
    );
    this.addSql(`create unique index \`tenant_name_unique\` on \`tenant\` (\`name\`);`);

    this.addSql(
      `create table \`node\` (\`id\` text not null primary key, \`admin_state\` text check (\`admin_state\` in ('active', 'draining', 'cordoned', 'revoked')) not null, \`agent_state\` text check (\`agent_state\` in ('starting', 'ready', 'draining', 'degraded')) null, \`live\` integer not null default false, \`capabilities\` json not null, \`dedicated_tenant_id\` text null, \`last_heartbeat_at_ms\` integer null, \`certificate_serial\` text null, \`certificate_not_after\` datetime null, \`created_at\` datetime not null, constraint \`node_dedicated_tenant_id_foreign\` foreign key (\`dedicated_tenant_id\`) references \`tenant\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`node_dedicated_tenant_id_index\` on \`node\` (\`dedicated_tenant_id\`);`);

    this.addSql(
      `create table \`user\` (\`id\` text not null primary key, \`tenant_id\` text not null, \`email\` text not null, \`display_name\` text not null, \`password_hash\` text not null, \`role\` text check (\`role\` in ('it-admin', 'producer', 'dpo', 'client-user')) not null, \`failed_logins\` integer not null default 0, \`locked_until\` datetime null, \`disabled\` integer not null default false, \`created_at\` datetime not null, constraint \`user_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`));`,
    );
    this.addSql(`create index \`user_tenant_id_index\` on \`user\` (\`tenant_id\`);`);
    this.addSql(`create unique index \`user_email_unique\` on \`user\` (\`email\`);`);

    this.addSql(
      `create table \`session\` (\`id\` text not null primary key, \`user_id\` text not null, \`tenant_id\` text not null, \`created_at\` datetime not null, \`last_seen_at\` datetime not null, \`expires_at\` datetime not null, constraint \`session_user_id_foreign\` foreign key (\`user_id\`) references \`user\` (\`id\`) on delete cascade, constraint \`session_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`));`,
    );
    this.addSql(`create index \`session_user_id_index\` on \`session\` (\`user_id\`);`);
    this.addSql(`create index \`session_tenant_id_index\` on \`session\` (\`tenant_id\`);`);
    this.addSql(`create index \`session_expires_at_index\` on \`session\` (\`expires_at\`);`);

    this.addSql(
      `create table \`project\` (\`id\` text not null primary key, \`tenant_id\` text not null, \`name\` text not null, \`state\` text check (\`state\` in ('active', 'completed')) not null, \`created_by_id\` text null, \`created_at\` datetime not null, \`completed_at\` datetime null, \`retention_extended_until\` datetime null, constraint \`project_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`), constraint \`project_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`user\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`project_tenant_id_index\` on \`project\` (\`tenant_id\`);`);
    this.addSql(`create index \`project_created_by_id_index\` on \`project\` (\`created_by_id\`);`);
    this.addSql(
      `create index \`project_tenant_id_created_at_index\` on \`project\` (\`tenant_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`asset\` (\`id\` text not null primary key, \`tenant_id\` text not null, \`project_id\` text not null, \`name\` text not null, \`media_type\` text not null, \`size_bytes\` integer not null, \`sha256\` text not null, \`storage_key\` text not null, \`created_at\` datetime not null, constraint \`asset_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`), constraint \`asset_project_id_foreign\` foreign key (\`project_id\`) references \`project\` (\`id\`));`,
    );
    this.addSql(`create index \`asset_tenant_id_index\` on \`asset\` (\`tenant_id\`);`);
    this.addSql(`create index \`asset_project_id_index\` on \`asset\` (\`project_id\`);`);
    this.addSql(`create unique index \`asset_storage_key_unique\` on \`asset\` (\`storage_key\`);`);
    this.addSql(
      `create index \`asset_tenant_id_project_id_index\` on \`asset\` (\`tenant_id\`, \`project_id\`);`,
    );

    this.addSql(
      `create table \`job\` (\`id\` text not null primary key, \`tenant_id\` text not null, \`project_id\` text not null, \`template_id\` text not null, \`template_version\` integer not null, \`priority\` integer not null, \`seq\` integer not null, \`idempotency_key\` text not null, \`fingerprint\` text not null, \`submitted_at_ms\` integer not null, \`state\` text check (\`state\` in ('queued', 'running', 'succeeded', 'failed', 'cancelled')) not null, \`fault_counts\` json not null, \`blocked_nodes\` json not null, \`created_by_id\` text null, constraint \`job_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`), constraint \`job_project_id_foreign\` foreign key (\`project_id\`) references \`project\` (\`id\`), constraint \`job_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`user\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`job_tenant_id_index\` on \`job\` (\`tenant_id\`);`);
    this.addSql(`create index \`job_project_id_index\` on \`job\` (\`project_id\`);`);
    this.addSql(`create index \`job_created_by_id_index\` on \`job\` (\`created_by_id\`);`);
    this.addSql(`create index \`job_tenant_id_state_index\` on \`job\` (\`tenant_id\`, \`state\`);`);
    this.addSql(
      `create unique index \`job_tenant_id_idempotency_key_unique\` on \`job\` (\`tenant_id\`, \`idempotency_key\`);`,
    );

    this.addSql(
      `create table \`task\` (\`id\` text not null primary key, \`job_id\` text not null, \`tenant_id\` text not null, \`ordinal\` integer not null, \`deps\` json not null, \`requirements\` json not null, \`state\` text check (\`state\` in ('queued', 'assigned', 'running', 'succeeded', 'failed', 'cancelled')) not null, \`epoch\` integer not null, \`attempts\` integer not null default 0, \`failures\` integer not null default 0, \`not_before_ms\` integer not null default 0, \`excluded_node\` text null, \`progress\` double null, \`last_failure\` json null, constraint \`task_job_id_foreign\` foreign key (\`job_id\`) references \`job\` (\`id\`) on delete cascade, constraint \`task_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`));`,
    );
    this.addSql(`create index \`task_job_id_index\` on \`task\` (\`job_id\`);`);
    this.addSql(`create index \`task_tenant_id_index\` on \`task\` (\`tenant_id\`);`);
    this.addSql(`create index \`task_tenant_id_state_index\` on \`task\` (\`tenant_id\`, \`state\`);`);
    this.addSql(`create unique index \`task_job_id_ordinal_unique\` on \`task\` (\`job_id\`, \`ordinal\`);`);

    this.addSql(
      `create table \`assignment\` (\`id\` text not null primary key, \`task_id\` text not null, \`tenant_id\` text not null, \`node_id\` text not null, \`epoch\` integer not null, \`gpu_indices\` json not null, \`cpu_slots\` integer not null, \`assigned_at_ms\` integer not null, \`lease_expires_at_ms\` integer not null, \`accepted_at_ms\` integer null, \`retire_deadline_ms\` integer null, \`ended_at_ms\` integer null, constraint \`assignment_task_id_foreign\` foreign key (\`task_id\`) references \`task\` (\`id\`) on delete cascade, constraint \`assignment_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`), constraint \`assignment_node_id_foreign\` foreign key (\`node_id\`) references \`node\` (\`id\`));`,
    );
    this.addSql(`create index \`assignment_task_id_index\` on \`assignment\` (\`task_id\`);`);
    this.addSql(`create index \`assignment_tenant_id_index\` on \`assignment\` (\`tenant_id\`);`);
    this.addSql(`create index \`assignment_node_id_index\` on \`assignment\` (\`node_id\`);`);
    this.addSql(
      `create index \`assignment_node_id_ended_at_ms_index\` on \`assignment\` (\`node_id\`, \`ended_at_ms\`);`,
    );
    this.addSql(
      `create unique index \`assignment_task_id_epoch_unique\` on \`assignment\` (\`task_id\`, \`epoch\`);`,
    );

    this.addSql(
      `create table \`api_token\` (\`id\` text not null primary key, \`secret_hash\` text not null, \`name\` text not null, \`user_id\` text not null, \`tenant_id\` text not null, \`role\` text check (\`role\` in ('it-admin', 'producer', 'dpo', 'client-user')) not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`last_used_at\` datetime null, \`revoked_at\` datetime null, constraint \`api_token_user_id_foreign\` foreign key (\`user_id\`) references \`user\` (\`id\`) on delete cascade, constraint \`api_token_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`));`,
    );
    this.addSql(`create unique index \`api_token_secret_hash_unique\` on \`api_token\` (\`secret_hash\`);`);
    this.addSql(`create index \`api_token_user_id_index\` on \`api_token\` (\`user_id\`);`);
    this.addSql(`create index \`api_token_tenant_id_index\` on \`api_token\` (\`tenant_id\`);`);
  }
}
