export {
  TemplateRegistry,
  builtInTemplates,
  checkTemplates,
  type TemplateSummary,
} from './template-registry.ts';
export { checkCompiledJob } from './dag-check.ts';
export { TemplateDefinitionError } from './template-errors.ts';
export type {
  CompiledJob,
  CompiledTask,
  JobTemplate,
  TaskInput,
  TaskInputSource,
  TaskOutput,
  TemplateContext,
} from './job-template.ts';
