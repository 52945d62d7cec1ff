import ipaddr from 'ipaddr.js';

/**
 * The group of client addresses that counts as one address when throttling logins. An IPv4
 * address is itself (an IPv4-mapped IPv6 address too: `::ffff:10.0.0.1` is `10.0.0.1`); an
 * IPv6 address is its /64, the block one subscriber or host normally gets — counting single
 * IPv6 addresses would give every guesser 2^64 fresh ones. Anything unparsable stays as given,
 * so it is still counted.
 */
export function addressGroup(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (!v6.isIPv4MappedAddress()) {
      const prefix = v6.parts
        .slice(0, 4)
        .map((part) => part.toString(16))
        .join(':');
      return `${prefix}::/64`;
    }
    parsed = v6.toIPv4Address();
  }
  return parsed.toString();
}
