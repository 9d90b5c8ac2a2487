/** A template that is wrong is a bug found at start-up, not a request error. */
export class TemplateDefinitionError extends Error {
  override readonly name = 'TemplateDefinitionError';
}
