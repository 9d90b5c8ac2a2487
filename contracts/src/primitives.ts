// Field types shared by envelopes and bodies. Every string is bounded and patterned: a message
// is parsed by the other side of a trust boundary, and nothing unbounded should get through.
import { z } from 'zod';

/**
 * Ids the control plane mints (jobs, tasks, tenants, assets, keys, orders). Opaque to the wire:
 * a UUID, ULID or similar fits; the pattern only keeps them safe in paths, logs and topic keys.
 */
export const EntityIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1-64 letters, digits, "_" or "-"');

/** Assignment epoch: bumped on every re-assignment; results with an older epoch are dropped. */
export const EpochSchema = z.int().min(1);

/** ISO-8601 instant in UTC (`Z`, no offset), as `Date.prototype.toISOString` writes it. */
export const TimestampSchema = z.iso.datetime();

/** W3C trace-context trace-id: 32 lower-case hex digits, not all zero. */
export const TraceIdSchema = z
  .string()
  .regex(/^(?!0{32})[0-9a-f]{32}$/, 'must be 32 lower-case hex digits, not all zero (W3C trace-id)');

export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

/** A name used as a record key or reference: parameter, sealed field, input or output name. */
export const FieldNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must start with a letter; letters, digits and "_", at most 64');

/** A step type from the gpu-node step library, dotted: `video.compose`, `tts.espeak`. */
export const StepNameSchema = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/, 'must be dotted lower-case words, e.g. "video.compose"');

/** A short machine-readable word: a stage, a state detail. */
export const SlugSchema = z
  .string()
  .regex(/^[a-z][a-z0-9._-]{0,63}$/, 'must be a lower-case word of at most 64 characters');

export const MediaTypeSchema = z
  .string()
  .max(127)
  .regex(/^[a-z]+\/[a-z0-9][a-z0-9.+-]*$/, 'must be a media type such as "video/mp4"');

export const ByteCountSchema = z.int().min(0);

/** Short text meant for people (progress notes, failure messages). Never client content. */
export const NoteSchema = z.string().max(1000);

export type EntityId = z.infer<typeof EntityIdSchema>;
export type Epoch = z.infer<typeof EpochSchema>;
export type Timestamp = z.infer<typeof TimestampSchema>;
export type TraceId = z.infer<typeof TraceIdSchema>;
