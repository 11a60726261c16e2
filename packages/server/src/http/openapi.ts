import * as p from '@rstream/protocol';
import { z } from 'zod';

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
});
const body = (schema: z.ZodType) => ({ requestBody: { required: true, content: json(schema) } });
const ok = (status: number, schema?: z.ZodType, description = 'OK') => ({
  responses: {
    [status]: schema ? { description, content: json(schema) } : { description },
    '4XX': { description: 'Error', content: json(p.errorBodySchema) },
  },
});
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }];
const qidParam = {
  name: 'questionId',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};

/** The OpenAPI description, generated from the same zod schemas the server validates with. */
export function buildOpenApi(): object {
  return {
    openapi: '3.1.0',
    info: { title: 'R-Stream API', version: String(p.PROTOCOL_VERSION) },
    components: {
      securitySchemes: {
        accessToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        participantToken: { type: 'http', scheme: 'bearer' },
      },
    },
    paths: {
      '/api/health': { get: ok(200) },
      '/api/ready': { get: ok(200) },
      '/api/auth/register': { post: { ...body(p.registerBodySchema), ...ok(201) } },
      '/api/auth/login': { post: { ...body(p.loginBodySchema), ...ok(200, p.loginResponseSchema) } },
      '/api/auth/refresh': { post: ok(200, p.refreshResponseSchema) },
      '/api/auth/logout': { post: ok(204) },
      '/api/auth/me': { get: ok(200) },
      '/api/sessions': {
        post: {
          security: [{ accessToken: [] }],
          ...body(p.createSessionBodySchema),
          ...ok(201, p.sessionSchema),
        },
        get: { security: [{ accessToken: [] }], ...ok(200, p.sessionListSchema) },
      },
      '/api/sessions/join': { post: { ...body(p.joinBodySchema), ...ok(200, p.joinResponseSchema) } },
      '/api/sessions/code/{code}': {
        get: {
          parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
          ...ok(200, p.publicSessionSchema),
        },
      },
      '/api/sessions/{id}': {
        get: { parameters: idParam, ...ok(200, p.sessionSchema) },
        put: { parameters: idParam, ...body(p.updateSessionBodySchema), ...ok(200, p.sessionSchema) },
        delete: { parameters: idParam, ...ok(204) },
      },
      '/api/sessions/{id}/me': {
        get: { parameters: idParam, ...ok(200) },
        put: { parameters: idParam, ...body(p.updateMeBodySchema), ...ok(200) },
      },
      '/api/sessions/{id}/participants': {
        get: { parameters: idParam, ...ok(200, p.participantListSchema) },
      },
      '/api/sessions/{id}/understanding': {
        post: { parameters: idParam, ...body(p.setUnderstandingBodySchema), ...ok(202) },
        get: {
          parameters: [
            ...idParam,
            ...['from', 'to', 'step'].map((name) => ({ name, in: 'query', schema: { type: 'integer' } })),
          ],
          ...ok(200, p.historyResponseSchema),
        },
      },
      '/api/sessions/{id}/questions': {
        post: { parameters: idParam, ...body(p.askQuestionBodySchema), ...ok(201, p.questionResponseSchema) },
        get: {
          parameters: [...idParam, { name: 'sort', in: 'query', schema: { enum: ['votes', 'time'] } }],
          ...ok(200, p.questionListSchema),
        },
      },
      '/api/sessions/{id}/questions/export': {
        get: {
          parameters: [...idParam, { name: 'format', in: 'query', schema: { enum: ['json', 'csv'] } }],
          ...ok(200),
        },
      },
      '/api/sessions/{id}/questions/{questionId}': {
        put: {
          parameters: [...idParam, qidParam],
          ...body(p.updateQuestionBodySchema),
          ...ok(200, p.questionResponseSchema),
        },
      },
      '/api/sessions/{id}/questions/{questionId}/vote': {
        post: { parameters: [...idParam, qidParam], ...ok(200, p.voteResponseSchema) },
        delete: { parameters: [...idParam, qidParam], ...ok(200, p.voteResponseSchema) },
      },
      // reports (features/reports)
      '/api/sessions/{id}/report': {
        get: {
          parameters: [...idParam, { name: 'lang', in: 'query', schema: { enum: ['en', 'ja'] } }],
          ...ok(200, p.reportResponseSchema),
        },
      },
      '/api/sessions/{id}/report.html': { get: { parameters: idParam, ...ok(200, undefined, 'text/html') } },
      '/api/sessions/{id}/report.pdf': {
        get: { parameters: idParam, ...ok(200, undefined, 'application/pdf') },
      },
      '/api/sessions/{id}/report.csv': {
        get: {
          parameters: [...idParam, { name: 'table', in: 'query', schema: { enum: ['seconds', 'moments'] } }],
          ...ok(200, undefined, 'text/csv'),
        },
      },
    },
  };
}
