// The template registry. `checkTemplates` runs at start-up: every template id of contracts has
// exactly one template using contracts' parameter schema, its schema converts to JSON Schema (the
// UI's form), and its example compiles to a valid DAG of catalogued steps. A bad template stops
// boot instead of failing a producer's job later.
import { TEMPLATE_IDS, TEMPLATE_PARAMS, type AssetRef, type TemplateId } from '@enclave/contracts';
import { z } from 'zod';
import { anonymiseFootageTemplate } from './anonymise-footage.template.ts';
import { checkCompiledJob } from './dag-check.ts';
import type { JobTemplate, TemplateContext } from './job-template.ts';
import { promoVideoTemplate } from './promo-video.template.ts';
import { TemplateDefinitionError } from './template-errors.ts';
import { transcodeTemplate } from './transcode.template.ts';

export const builtInTemplates: readonly JobTemplate[] = [
  promoVideoTemplate,
  anonymiseFootageTemplate,
  transcodeTemplate,
];

export interface TemplateSummary {
  id: TemplateId;
  version: number;
  title: string;
  description: string;
  /** JSON Schema of the parameters, from which the UI builds its form. */
  paramsSchema: unknown;
}

export class TemplateRegistry {
  private readonly byId: ReadonlyMap<TemplateId, JobTemplate>;

  constructor(templates: readonly JobTemplate[] = builtInTemplates) {
    checkTemplates(templates);
    this.byId = new Map(templates.map((t) => [t.id, t]));
  }

  get(id: string): JobTemplate | undefined {
    return this.byId.get(id as TemplateId);
  }

  list(): TemplateSummary[] {
    return [...this.byId.values()].map((t) => ({
      id: t.id,
      version: t.version,
      title: t.title,
      description: t.description,
      paramsSchema: z.toJSONSchema(t.params, { io: 'input' }),
    }));
  }
}

const exampleContext: TemplateContext = {
  asset: (assetId): AssetRef => ({
    name: 'example',
    assetId,
    mediaType: 'application/octet-stream',
    sizeBytes: 1,
    sha256: '0'.repeat(64),
  }),
  seal: () => ({
    keyId: 'dek_example',
    alg: 'A256GCM',
    iv: 'AAAAAAAAAAAAAAAA',
    ct: 'AA',
    tag: 'AAAAAAAAAAAAAAAAAAAAAA',
  }),
};

export function checkTemplates(templates: readonly JobTemplate[]): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const template of templates) {
    const where = `template "${template.id}"`;
    if (seen.has(template.id)) problems.push(`${where} is registered twice`);
    seen.add(template.id);
    if (!Object.hasOwn(TEMPLATE_PARAMS, template.id))
      problems.push(`${where} has no parameter schema in contracts`);
    else if (TEMPLATE_PARAMS[template.id] !== template.params) {
      problems.push(`${where} does not use the contracts parameter schema`);
    }
    if (!Number.isInteger(template.version) || template.version < 1)
      problems.push(`${where} needs a version ≥ 1`);
    try {
      z.toJSONSchema(template.params, { io: 'input' });
    } catch (error) {
      problems.push(`${where}: parameters cannot be shown as a form (${String(error)})`);
    }
    try {
      for (const p of checkCompiledJob(template.compile(template.example, exampleContext)))
        problems.push(`${where}: ${p}`);
    } catch (error) {
      problems.push(
        `${where}: its example does not compile (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  for (const id of TEMPLATE_IDS)
    if (!seen.has(id)) problems.push(`contracts template "${id}" has no implementation`);
  if (problems.length > 0)
    throw new TemplateDefinitionError(`Invalid job templates:\n- ${problems.join('\n- ')}`);
}
