// Records of processing activities (PDPL Art. 7): built from what the appliance is — the route
// table (which routes carry each activity out), the configuration (session, token, request and
// breach limits), the tenant's retention policy and the data it holds now (per data category) —
// so the record changes when the code or the settings do, instead of drifting like prose.
// Signed with the audit key (signed-report.ts); `enclave report verify FILE` checks a copy.
import {
  ALLOWED_DATA_USES,
  DEFAULT_RETENTION_DAYS,
  DataCategory,
  dataCategoryOfAsset,
  routes,
  type ProcessingActivity,
  type RecordsOfProcessing,
  type RouteDefinition,
} from '@enclave/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { AuditSigningKey } from '../audit/audit-signing-key.ts';
import type { UserCaller } from '../auth/caller.ts';
import { Clock } from '../common/clock.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { Asset } from '../database/entities/asset.entity.ts';
import { Job } from '../database/entities/job.entity.ts';
import { Tenant } from '../database/entities/tenant.entity.ts';
import { RetentionPolicy } from '../retention/retention-policy.entity.ts';
import { signReport } from './signed-report.ts';

const table = Object.values(routes) as RouteDefinition[];
const routesTagged = (...tags: string[]): string[] =>
  table.filter((route) => tags.includes(route.tag)).map((route) => `${route.method} ${route.path}`);
const routesNamed = (...names: (keyof typeof routes)[]): string[] =>
  names.map((name) => `${routes[name].method} ${routes[name].path}`);

const CLIENT_CONTENT = [
  DataCategory.ClientFootage,
  DataCategory.ClientVoice,
  DataCategory.ClientBrand,
  DataCategory.ClientPrompt,
  DataCategory.DerivedOutput,
];

@Injectable()
export class RecordsOfProcessingService {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly key: AuditSigningKey,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async build(caller: UserCaller): Promise<RecordsOfProcessing> {
    const em = this.orm.em.fork();
    const tenant = await em.findOneOrFail(Tenant, { id: caller.tenantId });
    const policy = await em.findOne(RetentionPolicy, { tenant: caller.tenantId });
    const days = policy?.defaultDays ?? DEFAULT_RETENTION_DAYS;
    const assets = await em.find(
      Asset,
      { tenant: caller.tenantId, state: 'stored' },
      { fields: ['origin', 'mediaType', 'name'] },
    );
    const jobs = await em.count(Job, { tenant: caller.tenantId });
    const counts = new Map<string, number>(CLIENT_CONTENT.map((category) => [category, 0]));
    for (const asset of assets) {
      const category = dataCategoryOfAsset(asset);
      counts.set(category, (counts.get(category) ?? 0) + 1);
    }
    // A job's sealed parameters (titles, scripts) are client prompts too.
    counts.set(DataCategory.ClientPrompt, (counts.get(DataCategory.ClientPrompt) ?? 0) + jobs);
    const c = this.config;
    const activities: ProcessingActivity[] = [
      {
        name: 'AI video production (rendering and generation)',
        purposes: ['production of the client’s videos (privacy policy §4A)'],
        dataCategories: CLIENT_CONTENT,
        dataSubjects: ['client staff', 'people who appear or speak in client footage and recordings'],
        recipients: [],
        retention: `project files: ${days} days after project completion, unless extended or under legal hold (policy §6)`,
        carriedOutBy: [
          ...routesTagged('projects', 'assets', 'jobs', 'agent'),
          'GPU nodes inside the facility',
        ],
      },
      {
        name: 'Accounts, sign-in and sessions',
        purposes: ['access control to the production portal (policy §3A, §5)'],
        dataCategories: [
          'account data (email, display name, role)',
          'credentials (scrypt hashes, session and token hashes)',
        ],
        dataSubjects: ['appliance users: staff and client users'],
        recipients: [],
        retention: `accounts while active and ${c.ENCLAVE_ACCOUNT_RETENTION_DAYS} days after closure, then crypto-shredded unless under legal hold; sessions end after ${c.ENCLAVE_SESSION_IDLE_MINUTES} idle minutes and at most ${c.ENCLAVE_SESSION_ABSOLUTE_HOURS} hours; API tokens at most ${c.ENCLAVE_API_TOKEN_MAX_DAYS} days`,
        carriedOutBy: routesTagged('auth'),
      },
      {
        name: 'Security and accountability (tamper-evident audit log)',
        purposes: ['security of processing and accountability (policy §12, PDPL)'],
        dataCategories: [
          'pseudonymous actor ids',
          'sealed details (e.g. a failed sign-in’s email and anonymised /24 or /48 network)',
        ],
        dataSubjects: ['appliance users'],
        recipients: [],
        retention: 'for the life of the appliance: append-only and hash-chained',
        carriedOutBy: routesTagged('audit'),
      },
      {
        name: 'Data-subject rights, consent and breach handling',
        purposes: ['PDPL rights (policy §10, §11), consent records (§5, §13), breach notification'],
        dataCategories: ['request records', 'consent choices and the notice hash shown', 'breach records'],
        dataSubjects: ['appliance users', 'data subjects named in requests'],
        recipients: [],
        retention: `requests answered within ${c.ENCLAVE_PRIVACY_DEADLINE_DAYS} days and kept as evidence; consent records kept as evidence`,
        carriedOutBy: routesTagged('privacy'),
      },
      {
        name: 'Retention and erasure',
        purposes: ['storage limitation (policy §6)'],
        dataCategories: CLIENT_CONTENT,
        dataSubjects: ['client staff', 'people in client content'],
        recipients: [],
        retention: `erased by crypto-shredding ${days} days after completion`,
        carriedOutBy: [...routesTagged('retention'), ...routesNamed('createPrivacyRequest')],
      },
      {
        name: 'Node operation (telemetry, residency)',
        purposes: ['running and monitoring the in-facility GPU nodes'],
        dataCategories: ['node telemetry (no personal data)'],
        dataSubjects: [],
        recipients: [],
        retention: 'the latest heartbeat only',
        carriedOutBy: [...routesTagged('nodes'), ...routesNamed('residencyReport')],
      },
    ];
    const record: Omit<RecordsOfProcessing, 'signature' | 'publicKeyPem'> = {
      format: 'enclave-records-of-processing/v1',
      generatedAt: this.clock.now().toISOString(),
      controller: { tenantId: tenant.id, tenantName: tenant.name },
      activities,
      inventory: [...counts.entries()].map(([dataCategory, items]) => ({
        dataCategory,
        items,
        allowedUses: [...ALLOWED_DATA_USES],
      })),
      retention: {
        projectFilesDaysAfterCompletion: days,
        sessionIdleMinutes: c.ENCLAVE_SESSION_IDLE_MINUTES,
        sessionAbsoluteHours: c.ENCLAVE_SESSION_ABSOLUTE_HOURS,
        apiTokenMaxDays: c.ENCLAVE_API_TOKEN_MAX_DAYS,
        privacyRequestDeadlineDays: c.ENCLAVE_PRIVACY_DEADLINE_DAYS,
        breachNotifyHours: c.ENCLAVE_BREACH_NOTIFY_HOURS,
        accounts: `while the account is active and ${c.ENCLAVE_ACCOUNT_RETENTION_DAYS} days after closure (then crypto-shredded unless under legal hold); an erasure reduces it to a pseudonym at once`,
        auditLog: 'for the life of the appliance (append-only)',
      },
      transfers: {
        outsideFacility: false,
        statement:
          'No recipient outside the facility: no cloud hosting, no API-based generation, no payment processor; node egress is denied (residency report).',
      },
      securityMeasures: [
        'AES-256-GCM for files and sealed fields at rest, under per-project keys (master key → tenant KEK → project DEK)',
        'TLS 1.3 only on both listeners; client certificates and CRLs for nodes; mTLS to Kafka',
        `scrypt password hashes (N = 2^${c.ENCLAVE_PASSWORD_SCRYPT_LOG2N}); lockout after ${c.ENCLAVE_LOGIN_LOCKOUT_THRESHOLD} failures`,
        'tamper-evident audit log with Ed25519-signed checkpoints',
        'crypto-shredding erasure with signed certificates',
        'tenant isolation on every route; role-based access',
        'node egress guard, nftables egress ruleset, step sandboxes without network; hash-pinned models',
      ],
    };
    return signReport(record, this.key);
  }
}
