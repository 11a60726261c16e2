import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import { isDatabaseUnavailable } from './db-unavailable.js';

/** Every error leaves as `{"error":{code,message,details?,requestId}}`; bad input is never a 500. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const requestId = String(req.id);
    if (err instanceof AppError) {
      // a refusal on our side (storage down, shutting down): the cause is for the operator's log
      if (err.status >= 500) req.log.warn({ err: err.cause ?? err, code: err.code }, err.message);
      return reply
        .code(err.status)
        .send({ error: { code: err.code, message: err.message, details: err.details, requestId } });
    }
    const status = err.statusCode ?? 500;
    const code = (() => {
      switch (err.code) {
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
          return 'PAYLOAD_TOO_LARGE';
        case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
          return 'UNSUPPORTED_MEDIA_TYPE';
        case 'FST_ERR_RATE_LIMIT':
          return 'RATE_LIMITED';
        default:
          return status === 429 ? 'RATE_LIMITED' : status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL';
      }
    })();
    if (status >= 500 && isDatabaseUnavailable(err)) {
      req.log.warn({ err: { message: err.message, code: err.code } }, 'database unavailable');
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({
          error: {
            code: 'SERVICE_UNAVAILABLE',
            message: 'The database is unavailable; try again in a few seconds.',
            requestId,
          },
        });
    }
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      return reply
        .code(500)
        .send({ error: { code: 'INTERNAL', message: 'Something went wrong on our side.', requestId } });
    }
    // JSON syntax errors, empty bodies, wrong content types: the client's fault, said plainly.
    return reply.code(status).send({ error: { code, message: err.message, requestId } });
  });
}
