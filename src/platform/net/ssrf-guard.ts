import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { ValidationError } from '../errors.js';
import { inAddressList, ipLiteralOf, isPublicAddress } from './ip-ranges.js';

/** Every address a hostname resolves to. */
export type Resolver = (hostname: string) => Promise<readonly string[]>;

export interface UrlPolicy {
  /** DNS; defaults to the system resolver (all addresses, A and AAAA). */
  resolve?: Resolver;
  /**
   * Addresses or CIDR blocks allowed even though they are not public. Empty by default;
   * only tests that fetch their own 127.0.0.1 server set it.
   */
  allowAddresses?: readonly string[];
}

const ALLOWED_SCHEMES = new Set(['http:', 'https:']);

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

export function urlNotAllowed(reason: string, details: Record<string, unknown> = {}): ValidationError {
  return new ValidationError(`This URL cannot be fetched: ${reason}.`, details, 'url_not_allowed');
}

export function urlUnreachable(reason: string, details: Record<string, unknown> = {}): ValidationError {
  return new ValidationError(`The page could not be reached: ${reason}.`, details, 'url_unreachable');
}

function addressAllowed(address: string, policy: UrlPolicy): boolean {
  return isPublicAddress(address) || inAddressList(address, policy.allowAddresses ?? []);
}

/** Resolves `hostname` and refuses it unless every address it has is allowed (one bad address is enough to refuse). */
export async function resolveAllowed(hostname: string, policy: UrlPolicy = {}): Promise<string[]> {
  const literal = ipLiteralOf(hostname);
  let addresses: readonly string[];
  if (literal !== undefined) {
    addresses = [literal];
  } else {
    try {
      addresses = await (policy.resolve ?? systemResolver)(hostname);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw urlUnreachable('its host name does not resolve', { host: hostname, cause: typeof code === 'string' ? code : 'dns' });
    }
  }
  if (addresses.length === 0) throw urlUnreachable('its host name does not resolve', { host: hostname });
  if (!addresses.every((a) => addressAllowed(a, policy))) {
    throw urlNotAllowed('it points to a private, local or reserved network address', { host: hostname });
  }
  return [...addresses];
}

/** Parses a user-supplied URL and refuses anything but http(s) to public addresses. Returns the parsed URL. */
export async function assertPublicUrl(raw: string | URL, policy: UrlPolicy = {}): Promise<URL> {
  const url = checkUrlShape(raw);
  await resolveAllowed(url.hostname, policy);
  return url;
}

/** The checks that need no DNS: scheme, credentials, a host at all. */
export function checkUrlShape(raw: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw urlNotAllowed('it is not a valid URL');
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) {
    throw urlNotAllowed('only http and https addresses are allowed', { scheme: url.protocol.replace(/:$/, '') });
  }
  if (url.username !== '' || url.password !== '') throw urlNotAllowed('addresses with a user name or password are not allowed');
  if (url.hostname === '') throw urlNotAllowed('it has no host');
  return url;
}

/**
 * A `lookup` for sockets that re-validates at connect time, so the address connected to
 * is one that passed the check (no DNS rebinding between check and connect).
 */
export function guardedLookup(policy: UrlPolicy = {}): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, policy).then(
      (addresses) => {
        const family = typeof options.family === 'number' && options.family !== 0 ? options.family : undefined;
        const usable = addresses
          .map((address) => ({ address, family: isIP(address) }))
          .filter((a) => family === undefined || a.family === family);
        if (usable.length === 0) {
          const err = Object.assign(new Error(`no usable address for ${hostname}`), { code: 'ENOTFOUND' });
          callback(err, '', 0);
          return;
        }
        // Node's socket lookup asks for `all` when it races IPv4 and IPv6 (autoSelectFamily).
        if (options.all) (callback as unknown as (e: null, a: typeof usable) => void)(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (err: unknown) => callback(err as NodeJS.ErrnoException, '', 0),
    );
  };
}
