import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { WebhookUrlGuard } from '../../commands/managingWebhooks/ports.ts';
import { ValidationError } from '../../domain/shared/errors.ts';

// Two lists: BlockList checks IPv4 addresses against IPv6 rules as mapped ones,
// so one list with ::ffff:0:0/96 would block every IPv4 address.
const blocked4 = new BlockList();
const blocked6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked4.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  // IPv4-mapped and NAT64 addresses can reach any IPv4 host: refused outright.
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked6.addSubnet(network, prefix, 'ipv6');
}

/** Whether a webhook may not connect to `address`: private, loopback, link-local, reserved or multicast. */
export const isBlockedAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 0) return true;
  return family === 4 ? blocked4.check(address, 'ipv4') : blocked6.check(address, 'ipv6');
};

/** `host:port` as WEBHOOK_ALLOWED_HOSTS names it (the port explicit, IPv6 hosts in brackets). */
export const hostPortOf = (url: URL): string =>
  `${url.hostname.toLowerCase()}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;

const refuse = (message: string, details: Record<string, unknown> = {}): never => {
  throw new ValidationError(message, details, 'WEBHOOK_URL_REFUSED');
};

export interface UrlGuardOptions {
  /** Exact `host:port` pairs allowed despite http or a private address (WEBHOOK_ALLOWED_HOSTS); read on every check. */
  readonly allowedHosts: readonly string[];
  /** DNS resolution (tests inject one); default node:dns lookup of every address. */
  readonly resolve?: (hostname: string) => Promise<readonly string[]>;
}

const resolveAll = (hostname: string): Promise<readonly string[]> =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses.map((a) => a.address)),
    );
  });

export interface WebhookTargetGuard extends WebhookUrlGuard {
  /** Parses and checks the URL's form (no DNS); returns whether it is allow-listed. */
  checkForm(url: string): { readonly url: URL; readonly allowListed: boolean };
  /**
   * A `lookup` for http(s).request that resolves every address and refuses the
   * connection when any is blocked, so a DNS answer that changed since
   * registration (rebinding) cannot reach an internal host.
   */
  readonly lookup: LookupFunction;
}

/**
 * SSRF protection for outbound webhooks: https only, no credentials in the URL,
 * and every address the host resolves to must be public — unless its exact
 * `host:port` is allow-listed (development, tests).
 */
export const createUrlGuard = (options: UrlGuardOptions): WebhookTargetGuard => {
  const isAllowListed = (url: URL) =>
    options.allowedHosts.some((host) => host.trim().toLowerCase() === hostPortOf(url));
  const resolve = options.resolve ?? resolveAll;

  const checkForm = (raw: string) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return refuse(`"${raw.slice(0, 100)}" is not an absolute URL; send https://host/path.`);
    }
    if (url.username !== '' || url.password !== '') {
      refuse('A webhook URL must not carry credentials; authenticate with the signature instead.');
    }
    const allowListed = isAllowListed(url);
    if (!allowListed && url.protocol !== 'https:') {
      refuse(`Webhook URLs must use https (got ${url.protocol.replace(':', '')}).`, {
        protocol: url.protocol,
      });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      refuse(`Webhook URLs must use https (got ${url.protocol.replace(':', '')}).`);
    }
    return { url, allowListed };
  };

  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const bad = addresses.find((a) => isBlockedAddress(a.address));
      const first = addresses[0];
      if (bad || !first) {
        const refused = new Error(
          `${hostname} resolves to ${bad?.address ?? 'nothing'}, which webhooks may not reach.`,
        ) as NodeJS.ErrnoException;
        refused.code = 'EWEBHOOKBLOCKED';
        return callback(refused, '', 0);
      }
      if (lookupOptions.all) return callback(null, addresses);
      return callback(null, first.address, first.family);
    });
  };

  return {
    checkForm,
    lookup,
    assertAllowed: async (raw) => {
      const { url, allowListed } = checkForm(raw);
      if (allowListed) return;
      const host = url.hostname.replace(/^\[|\]$/g, '');
      let addresses: readonly string[];
      try {
        addresses = isIP(host) === 0 ? await resolve(host) : [host];
      } catch {
        return refuse(`The webhook host ${host} does not resolve; check the URL.`, { host });
      }
      const bad = addresses.filter(isBlockedAddress);
      if (addresses.length === 0 || bad.length > 0) {
        refuse(
          `The webhook host ${host} resolves to ${bad.join(', ') || 'nothing'}: private, loopback, link-local and reserved addresses are refused. For development, allow-list "${hostPortOf(url)}" in WEBHOOK_ALLOWED_HOSTS.`,
          { host, addresses: bad },
        );
      }
    },
  };
};
