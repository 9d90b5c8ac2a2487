// A form generated from a template's zod parameter schema (TEMPLATE_PARAMS in contracts): one
// control per field, chosen by the field's type — text (a textarea for long text), select for
// enums and literal unions, checkbox for booleans, number, and asset pickers for asset ids (the
// contract describes those fields as uploaded files). The values are validated with the very
// schema the server uses, so the messages are the API's own.
import type { Asset } from '@enclave/contracts';
import type { z } from 'zod';
import { useI18n } from '../i18n/i18n.tsx';
import { Field } from './common.tsx';

type Def = {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
};
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

export type FieldKind =
  | { kind: 'text'; multiline: boolean }
  | { kind: 'asset' }
  | { kind: 'assets' }
  | { kind: 'choice'; options: readonly (string | number)[] }
  | { kind: 'boolean' }
  | { kind: 'number' };

export interface FormField {
  readonly name: string;
  readonly description: string | undefined;
  readonly kind: FieldKind;
  readonly initial: unknown;
  readonly optional: boolean;
}

/** The contract marks asset references by describing them as uploaded files. */
const isAssetRef = (s: z.ZodType | undefined) => s !== undefined && /upload/i.test(s.description ?? '');

function kindOf(s: z.ZodType): FieldKind {
  const def = defOf(s);
  switch (def.type) {
    case 'string': {
      if (isAssetRef(s)) return { kind: 'asset' };
      const max = (s as unknown as { maxLength: number | null }).maxLength;
      return { kind: 'text', multiline: max !== null && max > 200 };
    }
    case 'array':
      return isAssetRef(def.element) || isAssetRef(s)
        ? { kind: 'assets' }
        : { kind: 'text', multiline: false };
    case 'enum':
      return { kind: 'choice', options: (s as unknown as { options: string[] }).options };
    case 'union': {
      const values = (def.options ?? []).flatMap((o) =>
        defOf(o).type === 'literal' ? (defOf(o).values ?? []) : [],
      );
      return {
        kind: 'choice',
        options: values.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number'),
      };
    }
    case 'boolean':
      return { kind: 'boolean' };
    case 'number':
    case 'int':
      return { kind: 'number' };
    default:
      return { kind: 'text', multiline: false };
  }
}

export function fieldsOf(schema: z.ZodObject): FormField[] {
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const def = defOf(field);
    const wrapped = def.type === 'default' || def.type === 'optional';
    const inner = wrapped && def.innerType ? def.innerType : field;
    const kind = kindOf(inner);
    const fallback = field.safeParse(undefined);
    const initial =
      wrapped && fallback.success
        ? fallback.data
        : kind.kind === 'assets'
          ? []
          : kind.kind === 'boolean'
            ? false
            : '';
    return {
      name,
      description: field.description ?? inner.description,
      kind,
      initial,
      optional: def.type === 'optional',
    };
  });
}

export function initialValues(fields: readonly FormField[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f.name, f.initial]));
}

/** What the schema gets: empty optional text left out. */
export function valuesForSchema(
  fields: readonly FormField[],
  values: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.optional && (v === '' || v === undefined)) continue;
    out[f.name] = v;
  }
  return out;
}

/** Top-level field → first message, from the schema's own issues. */
export function validateWith(
  schema: z.ZodObject,
  fields: readonly FormField[],
  values: Record<string, unknown>,
) {
  const result = schema.safeParse(valuesForSchema(fields, values));
  if (result.success) return { ok: true as const, data: result.data, errors: {} };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) errors[String(issue.path[0] ?? '')] ??= issue.message;
  return { ok: false as const, errors };
}

const label = (name: string) => name.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());

export interface SchemaFormProps {
  readonly fields: readonly FormField[];
  readonly values: Record<string, unknown>;
  readonly errors: Record<string, string>;
  readonly assets: readonly Asset[];
  readonly onChange: (name: string, value: unknown) => void;
}

export function SchemaFields({ fields, values, errors, assets, onChange }: SchemaFormProps) {
  const { t, validation } = useI18n();
  const usable = assets.filter((a) => a.state === 'stored');
  return (
    <>
      {fields.map((f) => {
        const value = values[f.name];
        const error = errors[f.name];
        const hint = f.description;
        switch (f.kind.kind) {
          case 'boolean':
            return (
              <div key={f.name} className={`field field-check${error ? ' field-invalid' : ''}`}>
                <label>
                  <input
                    type="checkbox"
                    name={f.name}
                    checked={value === true}
                    onChange={(e) => onChange(f.name, e.target.checked)}
                  />{' '}
                  {label(f.name)}
                </label>
                {hint && <span className="hint">{hint}</span>}
                {error && <span className="field-error">{validation(error)}</span>}
              </div>
            );
          case 'choice': {
            const options = f.kind.options;
            return (
              <Field key={f.name} label={label(f.name)} error={error} hint={hint}>
                {({ id, describedBy, invalid }) => (
                  <select
                    id={id}
                    name={f.name}
                    aria-describedby={describedBy}
                    aria-invalid={invalid}
                    value={String(value)}
                    onChange={(e) =>
                      onChange(
                        f.name,
                        options.find((o) => String(o) === e.target.value),
                      )
                    }
                  >
                    {options.map((o) => (
                      <option key={String(o)} value={String(o)}>
                        {String(o)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            );
          }
          case 'number':
            return (
              <Field key={f.name} label={label(f.name)} error={error} hint={hint}>
                {({ id, describedBy, invalid }) => (
                  <input
                    id={id}
                    name={f.name}
                    type="number"
                    aria-describedby={describedBy}
                    aria-invalid={invalid}
                    value={typeof value === 'number' ? value : ''}
                    onChange={(e) =>
                      onChange(f.name, e.target.value === '' ? undefined : Number(e.target.value))
                    }
                  />
                )}
              </Field>
            );
          case 'asset':
            if (usable.length > 0) {
              return (
                <Field key={f.name} label={label(f.name)} error={error} hint={hint}>
                  {({ id, describedBy, invalid }) => (
                    <select
                      id={id}
                      name={f.name}
                      aria-describedby={describedBy}
                      aria-invalid={invalid}
                      value={typeof value === 'string' ? value : ''}
                      onChange={(e) => onChange(f.name, e.target.value)}
                    >
                      <option value="">—</option>
                      {usable.map((a) => (
                        <option key={a.assetId} value={a.assetId}>
                          {a.name}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              );
            }
            break;
          case 'assets':
            if (usable.length > 0) {
              const chosen = Array.isArray(value) ? (value as string[]) : [];
              return (
                <fieldset key={f.name} className={`field${error ? ' field-invalid' : ''}`}>
                  <legend>{label(f.name)}</legend>
                  <span className="hint">{hint ?? t('selectAssets')}</span>
                  <div className="check-list">
                    {usable.map((a) => (
                      <label key={a.assetId}>
                        <input
                          type="checkbox"
                          name={f.name}
                          value={a.assetId}
                          checked={chosen.includes(a.assetId)}
                          onChange={(e) =>
                            onChange(
                              f.name,
                              e.target.checked
                                ? [...chosen, a.assetId]
                                : chosen.filter((x) => x !== a.assetId),
                            )
                          }
                        />{' '}
                        {a.name}
                      </label>
                    ))}
                  </div>
                  {error && <span className="field-error">{validation(error)}</span>}
                </fieldset>
              );
            }
            return (
              <Field
                key={f.name}
                label={label(f.name)}
                error={error}
                hint={`${hint ?? ''} — ${t('assetIdsHint')}`}
              >
                {({ id, describedBy, invalid }) => (
                  <input
                    id={id}
                    name={f.name}
                    aria-describedby={describedBy}
                    aria-invalid={invalid}
                    value={Array.isArray(value) ? value.join(', ') : ''}
                    onChange={(e) =>
                      onChange(
                        f.name,
                        e.target.value
                          .split(',')
                          .map((s) => s.trim())
                          .filter(Boolean),
                      )
                    }
                  />
                )}
              </Field>
            );
          case 'text':
            break;
        }
        const multiline = f.kind.kind === 'text' && f.kind.multiline;
        return (
          <Field key={f.name} label={label(f.name)} error={error} hint={hint}>
            {({ id, describedBy, invalid }) =>
              multiline ? (
                <textarea
                  id={id}
                  name={f.name}
                  rows={4}
                  aria-describedby={describedBy}
                  aria-invalid={invalid}
                  value={typeof value === 'string' ? value : ''}
                  onChange={(e) => onChange(f.name, e.target.value)}
                />
              ) : (
                <input
                  id={id}
                  name={f.name}
                  aria-describedby={describedBy}
                  aria-invalid={invalid}
                  value={typeof value === 'string' ? value : ''}
                  onChange={(e) => onChange(f.name, e.target.value)}
                />
              )
            }
          </Field>
        );
      })}
    </>
  );
}
