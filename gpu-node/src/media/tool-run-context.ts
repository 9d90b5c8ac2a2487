// The slice of a step's context that running a sandboxed tool needs.
import type { SandboxRunner, SandboxWorkdir } from '../sandbox/sandbox-runner.ts';
import type { ToolPaths } from '../pipeline/tool-paths.ts';

export interface ToolRunContext {
  readonly sandbox: SandboxRunner;
  readonly workdir: SandboxWorkdir;
  readonly tools: ToolPaths;
}
