// The single-box launcher (`make up`) and the demo job, for the tests that boot the whole appliance.
export { startSingleBox, DEFAULT_NODE_ID, type SingleBox, type SingleBoxOptions } from './single-box.ts';
// One more real agent process against any control plane (the UI end-to-end suite enrols its own).
export {
  agentEnrolled,
  removeUsedToken,
  startAgent,
  writeAgentConfig,
  type AgentSettings,
} from './agent-process.ts';
export { agentPaths, type AgentPaths } from './appliance-paths.ts';
export type { ManagedChild } from './child-process.ts';
export { ApiSession, readDemoAccounts, type DemoAccount, type DemoEnv } from './demo-accounts.ts';
export {
  bundledStills,
  DEMO_SCRIPT,
  runDemoJob,
  type DemoJobOptions,
  type DemoJobResult,
} from './demo-job.ts';
export { httpsJson, sessionCookie, type HttpsJsonReply, type HttpsJsonRequest } from './https-json.ts';
