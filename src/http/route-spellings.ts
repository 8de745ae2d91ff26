import type { FastifyInstance, RouteHandlerMethod } from 'fastify';

/**
 * The spellings of a path that clients are seen to use: as documented, all lower case, all upper case,
 * and each segment capitalised. IIS (hence Exchange) matches paths case-insensitively, and clients copy
 * `/EWS/Exchange.asmx`, `/ews/exchange.asmx`, `/Autodiscover/Autodiscover.xml`… from wherever they found
 * them. fastify routes are case-sensitive unless the whole instance says otherwise, and its router cannot
 * tell two regex parameters apart, so the known spellings are registered one by one.
 */
export function pathSpellings(path: string): string[] {
  const capitalised = path.split('/').map((segment) => segment.charAt(0).toUpperCase() + segment.slice(1).toLowerCase()).join('/');
  return [...new Set([path, path.toLowerCase(), path.toUpperCase(), capitalised])];
}

/**
 * Registers one handler under every spelling of `path`. Spellings the router already knows are skipped,
 * which also makes this safe on an instance created with `caseSensitive: false` (where they all collide).
 */
export function routeAllSpellings(scope: FastifyInstance, method: 'GET' | 'POST', path: string, handler: RouteHandlerMethod): void {
  for (const url of pathSpellings(path)) {
    if (!scope.hasRoute({ method, url })) scope.route({ method, url, handler });
  }
}
