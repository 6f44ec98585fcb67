import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { refusedAddress } from '../core/webhooks/url-policy.js';
import type { WebhookRequest, WebhookResponse, WebhookTransport } from '../core/webhooks/transport.js';
import { SNIPPET_CHARS } from '../core/webhooks/worker.js';

/** Bytes of an answer read at most; the rest is dropped unread. */
const MAX_READ_BYTES = 16 * 1024;

/** Seconds or an HTTP date, as Retry-After allows. */
function retryAfterMs(value: string | undefined, nowMs: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/**
 * The client side of webhooks: a POST per attempt over node:http(s), no redirects followed, the
 * answer cut short. Names are resolved through a lookup that refuses private addresses (unless
 * the operator allows them), so a name cannot be pointed at an internal service after the URL
 * was accepted.
 */
export function httpWebhookTransport(options: { allowPrivateNetworks: boolean }): WebhookTransport {
  const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const list = addresses;
      for (const a of list) {
        const refusal = refusedAddress(a.address, options.allowPrivateNetworks);
        if (refusal) return callback(Object.assign(new Error(refusal), { code: 'EREFUSED_ADDRESS' }), '', 0);
      }
      if (lookupOptions.all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      return callback(null, first.address, first.family);
    });
  };
  // Keep-alive agents: a busy endpoint is sent to over a few reused connections, not one per attempt.
  const agents = {
    http: new http.Agent({ keepAlive: true, lookup: guardedLookup }),
    https: new https.Agent({ keepAlive: true, lookup: guardedLookup }),
  };

  return {
    send(request: WebhookRequest): Promise<WebhookResponse> {
      return new Promise((resolve) => {
        let settled = false;
        const finish = (response: WebhookResponse) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(response);
        };
        const url = new URL(request.url);
        // Names are checked by the lookup; literal addresses never reach it.
        const literal = url.hostname.replace(/^\[|\]$/g, '');
        const refusal = isIP(literal) !== 0 ? refusedAddress(literal, options.allowPrivateNetworks) : null;
        if (refusal) {
          resolve({ statusCode: null, snippet: '', error: refusal, retryAfterMs: null });
          return;
        }
        const client = url.protocol === 'https:' ? https : http;
        const req = client.request(url, {
          method: 'POST',
          agent: url.protocol === 'https:' ? agents.https : agents.http,
          headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        });
        const timer = setTimeout(() => {
          req.destroy();
          finish({
            statusCode: null,
            snippet: '',
            error: `No answer within ${request.timeoutMs} ms`,
            retryAfterMs: null,
          });
        }, request.timeoutMs);
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            if (read < MAX_READ_BYTES) chunks.push(chunk);
            read += chunk.length;
          });
          res.on('end', () =>
            finish({
              statusCode: res.statusCode ?? null,
              snippet: Buffer.concat(chunks).toString('utf8').slice(0, SNIPPET_CHARS),
              error: null,
              retryAfterMs: retryAfterMs(res.headers['retry-after'], Date.now()),
            }),
          );
          res.on('error', (error) =>
            finish({
              statusCode: res.statusCode ?? null,
              snippet: '',
              error: error.message,
              retryAfterMs: null,
            }),
          );
        });
        req.on('error', (error) =>
          finish({ statusCode: null, snippet: '', error: error.message, retryAfterMs: null }),
        );
        req.end(request.body);
      });
    },
  };
}
