// Every entity the control plane persists, in one list: the ORM, the migrations and the drift
// check all read it, so an entity missing here is missing everywhere (and the drift test says so).
import { ApiToken } from './entities/api-token.entity.ts';
import { Asset } from './entities/asset.entity.ts';
import { Assignment } from './entities/assignment.entity.ts';
import { CrlNumber } from './entities/crl-number.entity.ts';
import { EnrollmentToken } from './entities/enrollment-token.entity.ts';
import { IssuanceLogEntry } from './entities/issuance-log-entry.entity.ts';
import { JobEvent } from './entities/job-event.entity.ts';
import { Job } from './entities/job.entity.ts';
import { Node } from './entities/node.entity.ts';
import { Project } from './entities/project.entity.ts';
import { Revocation } from './entities/revocation.entity.ts';
import { SchedulerCounters } from './entities/scheduler-counters.entity.ts';
import { Session } from './entities/session.entity.ts';
import { Task } from './entities/task.entity.ts';
import { Tenant } from './entities/tenant.entity.ts';
import { UnsealedUser } from './entities/unsealed-user.entity.ts';
import { User } from './entities/user.entity.ts';
import { InboxMessage } from '../messaging/inbox-message.entity.ts';
import { OutboxMessage } from '../messaging/outbox-message.entity.ts';
import { OutboxOffset } from '../messaging/outbox-offset.entity.ts';
import { QuarantinedMessage } from '../messaging/quarantined-message.entity.ts';
import { DestroyedKey, KeyStoreMetaRow, ProjectKey, WrappedKey } from '../keys/key-store.entities.ts';
import { AuditCheckpointRecord } from '../audit/audit-checkpoint.entity.ts';
import { AuditEntryRecord } from '../audit/audit-entry.entity.ts';
import { LegalHold } from '../retention/legal-hold.entity.ts';
import { RetentionPolicy } from '../retention/retention-policy.entity.ts';
import { PrivacyExport, PrivacyRequest } from '../privacy/privacy-request.entity.ts';
import { ConsentRecord, PrivacyNoticeRecord } from '../privacy-evidence/consent.entities.ts';
import { Breach } from '../privacy-evidence/breach.entity.ts';
import { NodeEraseOrder } from '../privacy/node-erase-order.entity.ts';
import { NodeScratchKey } from '../agent/node-scratch-key.entity.ts';
import { UploadSession } from '../assets/upload-session.entity.ts';

export const ENTITIES = [
  // Tenancy and accounts
  Tenant,
  User,
  UnsealedUser,
  Session,
  ApiToken,
  // Work
  Project,
  Asset,
  UploadSession,
  Job,
  JobEvent,
  Task,
  Assignment,
  Node,
  SchedulerCounters,
  // The appliance CA's records (certs' stores over SQLite)
  EnrollmentToken,
  IssuanceLogEntry,
  Revocation,
  CrlNumber,
  // --- Messaging (control-plane/src/messaging/): outbox, inbox and their kin go here. ---
  // Add the entity, then run `npm run migration:create -w @enclave/control-plane`.
  OutboxMessage,
  OutboxOffset,
  InboxMessage,
  QuarantinedMessage,
  // --- Privacy (control-plane/src/audit/, src/retention/): the audit log, retention. ---
  AuditEntryRecord,
  AuditCheckpointRecord,
  RetentionPolicy,
  LegalHold,
  // --- Data-subject requests (control-plane/src/privacy/). ---
  PrivacyRequest,
  PrivacyExport,
  NodeEraseOrder,
  // --- Privacy evidence (control-plane/src/privacy-evidence/): notices, consent, breaches. ---
  PrivacyNoticeRecord,
  ConsentRecord,
  Breach,
  // --- Keys (control-plane/src/keys/): wrapped keys, the destroyed-keys journal, project DEKs. ---
  KeyStoreMetaRow,
  WrappedKey,
  DestroyedKey,
  ProjectKey,
  // Per-node LUKS2 scratch volume keys (control-plane/src/agent/): which key-ring key.
  NodeScratchKey,
] as const;
