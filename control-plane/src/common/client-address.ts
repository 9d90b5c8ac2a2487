// Client addresses as the control plane may store them (privacy policy: analytics kept only
// anonymised, no raw IP addresses): the network, never the host. IPv4 is cut to its /24, IPv6
// to its /48; an IPv4-mapped IPv6 address (`::ffff:192.0.2.7`, what a dual-stack socket
// reports) counts as IPv4. Anything that is not an address becomes "unknown". Rate limiters
// keep the full address in memory only; nothing else should ever see it. Pure.
import { isIPv4, isIPv6 } from 'node:net';

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

export function anonymiseAddress(address: string): string {
  const bare = address.trim().replace(/%.*$/, ''); // an IPv6 zone id names a local interface
  const v4 = MAPPED_V4.exec(bare)?.[1] ?? bare;
  if (isIPv4(v4)) {
    return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  }
  if (isIPv6(bare)) {
    const groups = expandIPv6(bare);
    return `${groups.slice(0, 3).join(':')}::/48`;
  }
  return 'unknown';
}

/** The eight 16-bit groups of a valid IPv6 address, lower case without leading zeros. */
function expandIPv6(address: string): string[] {
  let text = address.toLowerCase();
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text)?.[1];
  if (dotted !== undefined) {
    const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => Number.parseInt(g, 16).toString(16));
}
