// Every migration, in order. Listed explicitly (not discovered by globbing) so the compiled
// server and the TypeScript tests run the same set. `npm run migration:create` appends here.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129090807_account_closure_reminders } from './Migration20261129090807_account_closure_reminders.ts';
import { Migration20261129074500_erase_resend_rectification } from './Migration20261129074500_erase_resend_rectification.ts';
import { Migration20261129073849_seal_personal_data } from './Migration20261129073849_seal_personal_data.ts';
import { Migration20261129073829_upload_sessions } from './Migration20261129073829_upload_sessions.ts';
import { Migration20261129055139_privacy_evidence } from './Migration20261129055139_privacy_evidence.ts';
import { Migration20261129055009_erase_receipts_scratch_keys } from './Migration20261129055009_erase_receipts_scratch_keys.ts';
import { Migration20261129051900_privacy_requests } from './Migration20261129051900_privacy_requests.ts';
import { Migration20261129043405_keys_and_assets } from './Migration20261129043405_keys_and_assets.ts';
import { Migration20261129042926_privacy_audit_retention } from './Migration20261129042926_privacy_audit_retention.ts';
import { Migration20261129031138_jobs_and_nodes } from './Migration20261129031138_jobs_and_nodes.ts';
import { Migration20261129030225_add_messaging } from './Migration20261129030225_add_messaging.ts';
import { Migration20261129024048_initial } from './Migration20261129024048_initial.ts';

export const MIGRATIONS: readonly MigrationObject[] = [
  { name: 'Migration20261129024048_initial', class: Migration20261129024048_initial },
  { name: 'Migration20261129030225_add_messaging', class: Migration20261129030225_add_messaging },
  { name: 'Migration20261129031138_jobs_and_nodes', class: Migration20261129031138_jobs_and_nodes },
  {
    name: 'Migration20261129042926_privacy_audit_retention',
    class: Migration20261129042926_privacy_audit_retention,
  },
  { name: 'Migration20261129043405_keys_and_assets', class: Migration20261129043405_keys_and_assets },
  { name: 'Migration20261129051900_privacy_requests', class: Migration20261129051900_privacy_requests },
  {
    name: 'Migration20261129055009_erase_receipts_scratch_keys',
    class: Migration20261129055009_erase_receipts_scratch_keys,
  },
  { name: 'Migration20261129055139_privacy_evidence', class: Migration20261129055139_privacy_evidence },
  { name: 'Migration20261129073829_upload_sessions', class: Migration20261129073829_upload_sessions },
  { name: 'Migration20261129073849_seal_personal_data', class: Migration20261129073849_seal_personal_data },
  {
    name: 'Migration20261129074500_erase_resend_rectification',
    class: Migration20261129074500_erase_resend_rectification,
  },
  {
    name: 'Migration20261129090807_account_closure_reminders',
    class: Migration20261129090807_account_closure_reminders,
  },
];
