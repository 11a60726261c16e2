/**
 * `/api/ready` from its probes. A load balancer drops an instance that answers 503, so 503 means
 * "this instance cannot serve": the database or storage is unreachable. Redis down is
 * "degraded" (200): the instance still serves its own listeners and writes every second
 * (partials, summed in the database), only the cross-instance view is incomplete — answering
 * 503 there would make every instance fail at once and take the whole service down.
 * `/api/health` is liveness only (the process answers): for restarts, not for routing.
 */
const DEGRADABLE = new Set(['bus']);

export function readiness(checks: Record<string, string>): {
  code: 200 | 503;
  body:
    | { status: 'ready'; checks: Record<string, string> }
    | { status: 'degraded' | 'unavailable'; checks: Record<string, string>; failing: string[] };
} {
  const failing = Object.keys(checks).filter((k) => checks[k] !== 'ok');
  if (failing.length === 0) return { code: 200, body: { status: 'ready', checks } };
  if (failing.every((k) => DEGRADABLE.has(k)))
    return { code: 200, body: { status: 'degraded', checks, failing } };
  return { code: 503, body: { status: 'unavailable', checks, failing } };
}
