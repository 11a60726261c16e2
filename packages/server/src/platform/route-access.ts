import type { FastifyInstance } from 'fastify';

/**
 * The one declaration of which routes anyone may call without being signed in or holding a
 * participant token. Every other route must refuse an anonymous caller (401/403). Read by the
 * authorisation matrix test (its anonymous column must allow exactly these) and by the security
 * audit (it probes every other route of the live route table anonymously).
 * The value says why the route is open.
 */
export const PUBLIC_ROUTES: Readonly<Record<string, string>> = {
  'GET /api/health': 'liveness probe',
  'GET /api/ready': 'readiness probe',
  'GET /api/openapi.json': 'the API description',
  'GET /metrics': 'Prometheus; METRICS_TOKEN when the port is reachable beyond loopback',
  'POST /api/auth/register': 'sign-up',
  'POST /api/auth/login': 'sign-in (rate-limited, lock-out)',
  'POST /api/auth/logout': 'clears the refresh cookie it is sent',
  'POST /api/sessions/join': 'joining with a code (rate-limited)',
  'GET /api/sessions/code/:code': 'the join page of a code',
  'GET /api/invitations/:token': 'the invitation link is the credential',
  'POST /api/invitations/:token/accept': 'the invitation link is the credential',
};

/** [METHOD, route] of every route Fastify serves (HEAD and OPTIONS left out). */
export function routeTable(fastify: FastifyInstance): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of fastify.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const full = (depth > 0 ? stack[depth - 1]! : '') + m[2]!;
    stack[depth] = full;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      if (method !== 'HEAD' && method !== 'OPTIONS') out.push(`${method} ${full}`);
    }
  }
  return out;
}

/** API routes (the web app's static files are public by nature). */
export const isApiRoute = (route: string) => / (\/api\/|\/metrics$|\/ws\/)/.test(route);
