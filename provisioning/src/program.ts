// The Pulumi program: one Appliance from a validated inventory. Run inline by `enclave install`
// (Automation API) or imported by tests after `pulumi.runtime.setMocks`.
import { readFileSync } from 'node:fs';
import type * as pulumi from '@pulumi/pulumi';
import { Appliance, type ApplianceArgs } from './components/appliance.component.ts';
import { sshConnectionFor, type ConnectionFor } from './components/connection.ts';
import type { Inventory } from './inventory/inventory.schema.ts';

/** The agent's unit, kept with the agent's code (agent/systemd/). */
export function readAgentUnit(): string {
  return readFileSync(new URL('../../agent/systemd/enclave-agent.service', import.meta.url), 'utf8');
}

export interface ProgramOptions {
  connectionFor?: ConnectionFor;
  knownHostsFile?: string;
  tokenSource?: ApplianceArgs['tokenSource'];
  apiToken?: pulumi.Input<string>;
  tokenGeneration?: number;
  agentUnit?: string;
  /** Options of the Appliance component (tests pass transformations to observe its children). */
  componentOptions?: pulumi.ComponentResourceOptions;
}

export function applianceProgram(inventory: Inventory, options: ProgramOptions = {}) {
  const appliance = new Appliance(
    inventory.appliance.name,
    {
      inventory,
      connectionFor: options.connectionFor ?? sshConnectionFor(options.knownHostsFile),
      agentUnit: options.agentUnit ?? readAgentUnit(),
      ...(options.tokenSource ? { tokenSource: options.tokenSource } : {}),
      ...(options.apiToken === undefined ? {} : { apiToken: options.apiToken }),
      ...(options.tokenGeneration === undefined ? {} : { tokenGeneration: options.tokenGeneration }),
    },
    options.componentOptions,
  );
  return { appliance, outputs: appliance.summary };
}
