import ipaddr from 'ipaddr.js';

/**
 * Public unicast only. ipaddr.js names every special-purpose block (loopback, private,
 * link-local, CGNAT, multicast, reserved, documentation, benchmarking, 6to4, Teredo, NAT64,
 * ULA...); anything it does not call plain `unicast` is refused.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  // ::ffff:10.0.0.1 reaches 10.0.0.1: judge the IPv4 address it carries.
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  if (ip.range() !== 'unicast') return false;
  if (ip.kind() === 'ipv6') {
    // Only 2000::/3 is allocated as global unicast; the rest of the space is unassigned.
    const first = (ip as ipaddr.IPv6).parts[0]!;
    return first >= 0x2000 && first <= 0x3fff;
  }
  return true;
}

/** Whether `address` falls in one of `entries` (single addresses or CIDR blocks). */
export function inAddressList(address: string, entries: readonly string[]): boolean {
  if (entries.length === 0 || !ipaddr.isValid(address)) return false;
  const ip = ipaddr.process(address);
  return entries.some((entry) => {
    if (!entry.includes('/')) return ipaddr.isValid(entry) && ipaddr.process(entry).toString() === ip.toString();
    const [range, bits] = ipaddr.parseCIDR(entry);
    return range.kind() === ip.kind() && ip.match(range, bits);
  });
}

/** An IP literal as it appears in a URL's hostname (`[::1]` for IPv6), or undefined for a name. */
export function ipLiteralOf(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare)) ? bare : undefined;
}
