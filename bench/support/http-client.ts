// A light HTTP/1.1 client for load generation: node:http over keep-alive connections. fetch() (undici)
// costs several times the CPU per request, and on a 2-core box the load generator's CPU is taken from
// the server it measures.
import { Agent, request } from 'node:http';

/** A reply: status and body text. */
export interface HttpReply {
  status: number;
  text: string;
}

/** What to send. */
export interface HttpRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Give up (rejects with a TimeoutError) after this long. */
  timeoutMs: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1024 });

/** One request; rejects on a socket error or timeout, resolves with any status. */
export function httpRequest(url: string, init: HttpRequestInit): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const headers = { ...init.headers, ...(init.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(init.body)) }) };
    const req = request(url, { method: init.method ?? 'GET', headers, agent, timeout: init.timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${init.timeoutMs} ms`), { name: 'TimeoutError' })));
    req.on('error', reject);
    req.end(init.body);
  });
}
