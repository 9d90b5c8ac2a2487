// Which destinations the agent may connect to: the control plane, the Kafka bootstrap and the
// operator's allowlist. Entries: `host`, `host:port`, `[v6]:port`, an IP address, or an IP
// CIDR (`10.20.0.0/16`, `fd00::/8`). A host name matches by name; an IP entry or CIDR matches
// the address a name resolves to, or a literal address.
import { BlockList, isIP } from 'node:net';

interface Rule {
  /** A lower-case host name, or null for an address rule. */
  name: string | null;
  addresses: BlockList | null;
  /** null: any port. */
  port: number | null;
}

export type EgressVerdict = 'allow' | 'deny' | 'resolve';

function parseEntry(entry: string): Rule {
  const text = entry.trim().toLowerCase();
  const cidr = /^(.+)\/(\d{1,3})$/.exec(text);
  if (cidr) {
    const [, base = '', bits = ''] = cidr;
    const family = isIP(base);
    if (family === 0) throw new Error(`egress allowlist: "${entry}" is not a CIDR`);
    const list = new BlockList();
    list.addSubnet(base, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
    return { name: null, addresses: list, port: null };
  }
  let host = text;
  let port: number | null = null;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const hostPort = /^([^:]+):(\d+)$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? '';
    port = bracketed[2] ? Number(bracketed[2]) : null;
  } else if (hostPort) {
    host = hostPort[1] ?? '';
    port = Number(hostPort[2]);
  }
  if (port !== null && (port < 1 || port > 65_535))
    throw new Error(`egress allowlist: bad port in "${entry}"`);
  const family = isIP(host);
  if (family !== 0) {
    const list = new BlockList();
    list.addAddress(host, family === 6 ? 'ipv6' : 'ipv4');
    return { name: null, addresses: list, port };
  }
  if (!/^[a-z0-9]([a-z0-9.-]{0,252})$/.test(host))
    throw new Error(`egress allowlist: bad host in "${entry}"`);
  return { name: host, addresses: null, port };
}

export class EgressPolicy {
  readonly entries: readonly string[];
  readonly #rules: Rule[];

  constructor(entries: readonly string[]) {
    this.entries = [...entries];
    this.#rules = entries.map(parseEntry);
  }

  /** The control plane URL, the Kafka bootstrap list and the operator's entries. */
  static forAgent(options: {
    controlPlaneUrl: string;
    kafkaBootstrap?: string;
    allow: readonly string[];
  }): EgressPolicy {
    const url = new URL(options.controlPlaneUrl);
    const entries = [`${url.hostname}:${url.port || '443'}`];
    for (const broker of (options.kafkaBootstrap ?? '').split(','))
      if (broker.trim()) entries.push(broker.trim());
    return new EgressPolicy([...entries, ...options.allow]);
  }

  /** For a connect call: a literal address is decided now, a name may need its resolution. */
  check(host: string, port: number): EgressVerdict {
    const name = host.toLowerCase().replace(/^\[|\]$/g, '');
    if (isIP(name) !== 0) return this.allowsAddress(name, port) ? 'allow' : 'deny';
    const byName = this.#rules.some(
      (rule) => rule.name === name && (rule.port === null || rule.port === port),
    );
    if (byName) return 'allow';
    return this.#rules.some((rule) => rule.addresses !== null) ? 'resolve' : 'deny';
  }

  allowsAddress(address: string, port: number): boolean {
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    return this.#rules.some(
      (rule) => rule.addresses?.check(address, family) === true && (rule.port === null || rule.port === port),
    );
  }
}
