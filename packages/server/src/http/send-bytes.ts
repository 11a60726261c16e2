import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/**
 * Sends a file's bytes (a Buffer or a stream) as the body. Fastify passes both through without
 * serialising them; the route's schema documents the body (e.g. `z.string().describe('the file')`)
 * for OpenAPI, and the plain reply type here accepts the bytes that schema's type would refuse.
 */
export function sendBytes(reply: FastifyReply, body: Buffer | Readable): FastifyReply {
  return reply.send(body);
}
