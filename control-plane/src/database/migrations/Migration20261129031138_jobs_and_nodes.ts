import { Migration } from '@mikro-orm/migrations';

export class Migration20261129031138_jobs_and_nodes extends Migration {
  override name = 'Migration20261129031138_jobs_and_nodes';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`job_event\` (\`seq\` integer not null primary key autoincrement, \`job_id\` text not null, \`tenant_id\` text not null, \`at_ms\` integer not null, \`kind\` text check (\`kind\` in ('job', 'task', 'progress')) not null, \`task_id\` text null, \`state\` text null, \`epoch\` integer null, \`node_id\` text null, \`progress\` double null, \`stage\` text null, \`cause\` text null, \`code\` text null, constraint \`job_event_job_id_foreign\` foreign key (\`job_id\`) references \`job\` (\`id\`) on delete cascade, constraint \`job_event_tenant_id_foreign\` foreign key (\`tenant_id\`) references \`tenant\` (\`id\`));`,
    );
    this.addSql(`create index \`job_event_job_id_index\` on \`job_event\` (\`job_id\`);`);
    this.addSql(`create index \`job_event_tenant_id_index\` on \`job_event\` (\`tenant_id\`);`);
    this.addSql(`create index \`job_event_job_id_seq_index\` on \`job_event\` (\`job_id\`, \`seq\`);`);

    this.addSql(`alter table \`node\` add column \`agent_version\` text null;`);
    this.addSql(`alter table \`node\` add column \`wire_revision\` integer null;`);
    this.addSql(`alter table \`node\` add column \`telemetry\` json null;`);

    this.addSql(`alter table \`job\` add column \`title\` text not null;`);
    this.addSql(`alter table \`job\` add column \`request_fingerprint\` text not null;`);
    this.addSql(`alter table \`job\` add column \`finished_at_ms\` integer null;`);
    this.addSql(
      `create index \`job_tenant_id_project_id_submitted_at_ms_index\` on \`job\` (\`tenant_id\`, \`project_id\`, \`submitted_at_ms\`);`,
    );

    this.addSql(`alter table \`task\` add column \`key\` text not null;`);
    this.addSql(`alter table \`task\` add column \`title\` text not null;`);
    this.addSql(`alter table \`task\` add column \`work\` json not null;`);
    this.addSql(`alter table \`task\` add column \`outputs\` json null;`);
    this.addSql(`alter table \`task\` add column \`node_id\` text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`job_event\`;`);

    this.addSql(`drop index \`job_tenant_id_project_id_submitted_at_ms_index\`;`);
    this.addSql(`alter table \`job\` drop column \`title\`;`);
    this.addSql(`alter table \`job\` drop column \`request_fingerprint\`;`);
    this.addSql(`alter table \`job\` drop column \`finished_at_ms\`;`);

    this.addSql(`alter table \`node\` drop column \`agent_version\`;`);
    this.addSql(`alter table \`node\` drop column \`wire_revision\`;`);
    this.addSql(`alter table \`node\` drop column \`telemetry\`;`);

    this.addSql(`alter table \`task\` drop column \`key\`;`);
    this.addSql(`alter table \`task\` drop column \`title\`;`);
    this.addSql(`alter table \`task\` drop column \`work\`;`);
    this.addSql(`alter table \`task\` drop column \`outputs\`;`);
    this.addSql(`alter table \`task\` drop column \`node_id\`;`);
  }
}
