// @enclave/contracts: the single source of the wire. Server, agent and UI import shapes from
// here; nothing redefines them.

export { ErrorCode, ERROR_CODES, ErrorCodeSchema, httpStatusFor, isErrorCode } from './error-codes.ts';
export { ContractError, ConfigError, type FieldIssue } from './errors.ts';
export { check, formatPath, validate, type SafeParseResult } from './validation.ts';

export {
  NODE_ID_PATTERN,
  NODE_PRINCIPAL_PREFIX,
  NodeIdSchema,
  assertNodeId,
  isNodeId,
  nodeIdFromPrincipal,
  nodePrincipal,
  type NodeId,
} from './node-id.ts';
export {
  TopicKind,
  TOPIC_KINDS,
  TOPIC_PREFIX,
  TOPIC_SUBSCRIPTION_PATTERN,
  heartbeatsTopic,
  jobsTopic,
  nodeTopics,
  parseTopic,
  resultsTopic,
  topicName,
  tryParseTopic,
  type ParsedTopic,
} from './topics.ts';

export {
  ByteCountSchema,
  EntityIdSchema,
  EpochSchema,
  FieldNameSchema,
  MediaTypeSchema,
  NoteSchema,
  Sha256HexSchema,
  SlugSchema,
  StepNameSchema,
  TimestampSchema,
  TraceIdSchema,
  type EntityId,
  type Epoch,
  type Timestamp,
  type TraceId,
} from './primitives.ts';

export {
  MessageType,
  MESSAGE_TYPES,
  MESSAGE_DEFINITIONS,
  Tenancy,
  isMessageType,
  messageTypesOn,
  tenancyOf,
  topicKindOf,
  type BodyOf,
  type MessageTypeOn,
  type TenancyOf,
} from './message-types.ts';
export {
  ENVELOPE_VERSION,
  SUPPORTED_VERSIONS,
  WIRE_REVISION,
  ENVELOPE_SCHEMAS,
  EnvelopeSchema,
  newEnvelope,
  partitionKey,
  type Envelope,
  type EnvelopeOf,
  type EnvelopeOn,
  type NewEnvelopeFields,
} from './envelope.ts';
export {
  MAX_ENCODED_BYTES,
  decodeEnvelope,
  decodeFromTopic,
  encodeEnvelope,
  type DecodeOptions,
} from './codec.ts';

export { AssetRefSchema, type AssetRef } from './bodies/asset-ref.ts';
export {
  ENCRYPTED_FIELD_ALG,
  MAX_CIPHERTEXT_CHARS,
  EncryptedFieldSchema,
  type EncryptedField,
} from './bodies/encrypted-field.ts';
export { LeaseRefSchema, type LeaseRef } from './bodies/task-ref.ts';
export {
  MAX_PARAM_STRING,
  ParamValueSchema,
  StepSpecSchema,
  TaskAssignBodySchema,
  type ParamValue,
  type StepSpec,
  type TaskAssignBody,
} from './bodies/task-assign.ts';
export { CancelReason, TaskCancelBodySchema, type TaskCancelBody } from './bodies/task-cancel.ts';
export {
  EraseReason,
  EraseScopeKind,
  EraseOrderBodySchema,
  type EraseOrderBody,
} from './bodies/erase-order.ts';
export { TaskAcceptedBodySchema, type TaskAcceptedBody } from './bodies/task-accepted.ts';
export { TaskProgressBodySchema, type TaskProgressBody } from './bodies/task-progress.ts';
export {
  TaskMetricsSchema,
  TaskSucceededBodySchema,
  type TaskMetrics,
  type TaskSucceededBody,
} from './bodies/task-succeeded.ts';
export {
  FailureKind,
  TaskFailureCode,
  TaskFailedBodySchema,
  type TaskFailedBody,
} from './bodies/task-failed.ts';
export {
  ERASE_RECEIPT_SIGNING_CONTEXT,
  EraseOutcome,
  EraseReceiptBodySchema,
  EraseReceiptItemSchema,
  ReceiptSignatureSchema,
  SignatureAlg,
  eraseReceiptSigningBytes,
  type EraseReceiptBody,
  type EraseReceiptItem,
  type ReceiptSignature,
} from './bodies/erase-receipt.ts';
export {
  EgressCountersSchema,
  GpuTelemetrySchema,
  NodeHeartbeatBodySchema,
  NodeState,
  NodeTelemetrySchema,
  type GpuTelemetry,
  type NodeHeartbeatBody,
  type NodeTelemetry,
} from './bodies/node-heartbeat.ts';
export { canonicalJson, type JsonValue } from './canonical-json.ts';

export {
  ErrorReplySchema,
  FieldIssueSchema,
  toErrorResponse,
  type ErrorReply,
  type ErrorResponse,
} from './rest/error-reply.ts';
export { Role, ROLES, RoleSchema } from './rest/roles.ts';
export {
  defineRoutes,
  type HttpMethod,
  type RouteAccess,
  type RouteDefinition,
  type RouteInput,
  type RouteResult,
  type RouteSpec,
  type UserCredential,
} from './rest/route.ts';
export { routes, type RouteName, type Routes } from './rest/routes.ts';
export { API_VERSION, OPENAPI_TITLE, buildOpenApiDocument, openApiPath } from './rest/openapi.ts';
export {
  API_TOKEN_PREFIX,
  SESSION_COOKIE,
  ApiTokenListSchema,
  ApiTokenSummarySchema,
  CreateApiTokenRequestSchema,
  CreatedApiTokenSchema,
  CredentialKindSchema,
  CurrentUserSchema,
  EmailSchema,
  LoginReplySchema,
  LoginRequestSchema,
  NewPasswordSchema,
  PasswordSchema,
  TokenIdParamsSchema,
  TokenNameSchema,
  type ApiTokenSummary,
  type CreateApiTokenRequest,
  type CreatedApiToken,
  type CurrentUser,
  type LoginReply,
  type LoginRequest,
} from './rest/auth.ts';
export {
  ProjectState,
  ProjectStateSchema,
  ProjectNameSchema,
  ProjectSchema,
  ProjectListSchema,
  CreateProjectRequestSchema,
  ProjectIdParamsSchema,
  PageQuerySchema,
  type Project,
  type CreateProjectRequest,
} from './rest/projects.ts';
export {
  HealthSchema,
  IntegrityStatusSchema,
  OpenApiDocumentSchema,
  type Health,
  type IntegrityStatus,
} from './rest/health.ts';
export {
  AgentDataKeySchema,
  AgentEpochQuerySchema,
  AgentScratchKeySchema,
  AgentTaskInputParamsSchema,
  AgentTaskOutputParamsSchema,
  AgentTaskParamsSchema,
  MEDIA_TYPE_HEADER,
  WhoamiSchema,
  type AgentDataKey,
  type AgentScratchKey,
  type Whoami,
} from './rest/agent.ts';
export {
  AssetIdParamsSchema,
  AssetListSchema,
  AssetNameSchema,
  AssetSchema,
  AssetState,
  AssetStateSchema,
  ProjectAssetsParamsSchema,
  ProjectErasureSchema,
  UPLOAD_MEDIA_TYPES,
  UploadAssetQuerySchema,
  type Asset,
  type AssetList,
  type ProjectErasure,
  type UploadMediaType,
} from './rest/assets.ts';
export {
  CreateUploadRequestSchema,
  UploadParamsSchema,
  UploadPieceQuerySchema,
  UploadSessionSchema,
  UploadState,
  type CreateUploadRequest,
  type UploadSession,
} from './rest/uploads.ts';
export {
  CreateEnrollmentTokenRequestSchema,
  DrainNodeQuerySchema,
  EnrollReplySchema,
  EnrollRequestSchema,
  EnrollmentTokenSchema,
  GpuSpecSchema,
  NodeAdminStateSchema,
  NodeCapabilitiesSchema,
  NodeIdParamsSchema,
  NodeKafkaAccessSchema,
  NodeListSchema,
  NodeStatusEventSchema,
  NodeStatusSchema,
  NodeSummarySchema,
  RenewReplySchema,
  RenewRequestSchema,
  type CreateEnrollmentTokenRequest,
  type EnrollReply,
  type EnrollRequest,
  type EnrollmentTokenDto,
  type GpuSpec,
  type NodeCapabilitiesDto,
  type NodeStatusEvent,
  type NodeSummary,
  type RenewReply,
} from './rest/nodes.ts';
export {
  BlocklistEditSchema,
  BlocklistSchema,
  EventStreamQuerySchema,
  HistoryKindSchema,
  IdempotencyKeySchema,
  JobDetailSchema,
  JobHistoryEntrySchema,
  JobIdParamsSchema,
  JobListQuerySchema,
  JobListSchema,
  JobStateSchema,
  JobSummarySchema,
  ProjectJobsParamsSchema,
  SubmitJobRequestSchema,
  TaskFailureSchema,
  TaskStateSchema,
  TaskSummarySchema,
  TemplateListSchema,
  TemplateSummarySchema,
  type Blocklist,
  type BlocklistEdit,
  type JobDetail,
  type JobHistoryEntry,
  type JobSummary,
  type SubmitJobRequest,
  type TaskSummary,
  type TemplateSummaryDto,
} from './rest/jobs.ts';

export {
  REDACTED,
  loadConfig,
  redactConfig,
  type DeepReadonly,
  type Env,
  type LoadConfigOptions,
} from './config.ts';
export { envBoolean, envInteger, envList, envPort } from './config-fields.ts';

export { STEP_CATALOGUE, STEP_NAMES, StepNeeds, isKnownStep, type StepName } from './steps/catalogue.ts';
export {
  BurnInParamsSchema,
  CaptionsSrtParamsSchema,
  ComposeParamsSchema,
  FacesParamsSchema,
  SceneCutsParamsSchema,
  ThumbnailParamsSchema,
  TranscodeStepParamsSchema,
  TtsParamsSchema,
  evenDimension,
  fileParam,
  fpsParam,
} from './steps/step-params.ts';
export {
  AnonymiseFootageParamsSchema,
  PromoVideoParamsSchema,
  TEMPLATE_IDS,
  TEMPLATE_PARAMS,
  TranscodeParamsSchema,
  type AnonymiseFootageParams,
  type PromoVideoParams,
  type TemplateId,
  type TranscodeParams,
} from './templates/template-params.ts';
export {
  AUDIT_ACTIONS,
  AuditAction,
  AuditActionSchema,
  AuditActorSchema,
  AuditCheckpointSchema,
  AuditEntrySchema,
  AuditExportLineSchema,
  AuditProblemSchema,
  AuditVerifyReplySchema,
  type AuditCheckpointDto,
  type AuditEntryDto,
  type AuditExportLine,
  type AuditVerifyReply,
} from './rest/audit.ts';
export {
  DEFAULT_RETENTION_DAYS,
  DEFAULT_ACCOUNT_RETENTION_DAYS,
  AccountRetentionItemSchema,
  AccountRetentionSchema,
  CloseAccountRequestSchema,
  CloseMyAccountRequestSchema,
  ExtendRetentionRequestSchema,
  LegalHoldRequestSchema,
  LegalHoldSchema,
  ProjectRetentionSchema,
  ReleaseLegalHoldQuerySchema,
  RetentionItemSchema,
  RetentionPolicySchema,
  RetentionReasonSchema,
  RetentionReportQuerySchema,
  RetentionReportSchema,
  SetRetentionPolicyRequestSchema,
  type ExtendRetentionRequest,
  type LegalHoldDto,
  type ProjectRetention,
  type RetentionItem,
  type RetentionReport,
  type AccountRetentionItem,
  type AccountRetention,
  type CloseAccountRequest,
  type CloseMyAccountRequest,
} from './rest/retention.ts';

export * from './rest/privacy.ts';
export * from './rest/node-metrics.ts';
export * from './rest/consent.ts';
export * from './rest/privacy-evidence.ts';
