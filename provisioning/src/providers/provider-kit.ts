// Shared pieces of the dynamic providers. Pulumi serializes a dynamic provider's closure into the
// state and runs it later in its own process; `lazyProvider` keeps that closure to two strings
// (the implementation module's URL and export name) and loads the real code at run time, so no
// module graph is serialized and the implementation is an ordinary, directly tested module.
import { createHash } from 'node:crypto';
import type * as pulumi from '@pulumi/pulumi';
import type { HostConnection } from '../host/host-executor.ts';

export function lazyProvider(implUrl: string, exportName: string): pulumi.dynamic.ResourceProvider {
  // `new Function` keeps `import()` out of the function text: a bundler-rewritten import() in
  // the serialized closure would capture the bundler's loader.
  const load = async (): Promise<Required<pulumi.dynamic.ResourceProvider>> => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a fixed body, see above
    const importer = new Function('u', 'return import(u)') as (u: string) => Promise<Record<string, unknown>>;
    const mod = await importer(implUrl);
    return mod[exportName] as Required<pulumi.dynamic.ResourceProvider>;
  };
  return {
    async create(inputs: unknown) {
      return (await load()).create(inputs);
    },
    async diff(id: string, olds: unknown, news: unknown) {
      return (await load()).diff(id, olds, news);
    },
    async update(id: string, olds: unknown, news: unknown) {
      return (await load()).update(id, olds, news);
    },
    async delete(id: string, props: unknown) {
      return (await load()).delete(id, props);
    },
  };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A stable id part for a host: `ssh:user@host:port` or `local:/root`. */
export function hostKey(connection: HostConnection): string {
  return connection.kind === 'ssh'
    ? `ssh:${connection.user}@${connection.host}:${connection.port}`
    : `local:${connection.root}`;
}

/** The names among `keys` whose values differ (JSON comparison). */
export function changedKeys<K extends string>(
  olds: { [P in K]?: unknown },
  news: { [P in K]?: unknown },
  keys: readonly K[],
): string[] {
  return keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
}
