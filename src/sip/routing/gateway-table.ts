import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { OpenumConfiguration, UMIPGateway } from '../../config/index.js';

/** Resolves a host name to its addresses (injected in tests). */
export type AddressLookup = (host: string) => Promise<string[]>;

/** The system resolver: every A/AAAA address of a host. */
export const systemAddressLookup: AddressLookup = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/** Strips an IPv4-mapped IPv6 prefix so `::ffff:127.0.0.1` compares equal to `127.0.0.1`. */
function normalizeAddress(address: string): string {
  return address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}

/**
 * The configured UM IP gateways by source address: only these peers may send requests in (spec §0.2).
 * Ports are not compared — Lync pools and gateways send from ephemeral ports over TCP.
 */
export class GatewayTable {
  private constructor(private readonly byAddress: ReadonlyMap<string, UMIPGateway>, readonly unresolved: readonly string[]) {}

  /** Builds the table, resolving host names once; gateways whose names do not resolve are listed in `unresolved`. */
  static async fromConfiguration(configuration: OpenumConfiguration, resolve: AddressLookup = systemAddressLookup): Promise<GatewayTable> {
    const map = new Map<string, UMIPGateway>();
    const unresolved: string[] = [];
    for (const gateway of configuration.UMIPGateways) {
      let addresses: string[];
      try {
        addresses = isIP(gateway.Address) ? [gateway.Address] : await resolve(gateway.Address);
      } catch {
        unresolved.push(gateway.Name);
        continue;
      }
      // The first gateway listed for an address wins, as Exchange matches in configuration order.
      for (const a of addresses) if (!map.has(normalizeAddress(a))) map.set(normalizeAddress(a), gateway);
    }
    return new GatewayTable(map, unresolved);
  }

  /** The gateway a request came from, enabled or not. */
  findBySource(address: string): UMIPGateway | undefined {
    return this.byAddress.get(normalizeAddress(address));
  }
}
