import { trailCount } from './checks-access.js';
import type { Collector } from './model.js';

/** The audit period's security events, from the security trail (the security stream writes the same events). */
export async function analyseLogs(c: Collector): Promise<void> {
  await c.check('logs.security-events', 'logs', async (s) => {
    const counts = {
      failedSignIns: await trailCount(c, ['login_failed', 'password_check_failed']),
      lockOuts: await trailCount(c, ['account_locked', 'login_blocked', 'ip_blocked']),
      refreshTokenReuse: await trailCount(c, ['refresh_token_reuse']),
      deniedRequests: await trailCount(c, ['permission_denied']),
      wsRefusals: await trailCount(c, ['ws_denied']),
      roleChanges: await trailCount(c, ['role_changed', 'user_disabled', 'user_enabled']),
      riskAcceptances: await trailCount(c, ['security_risk_accepted']),
    };
    Object.assign(c.logAnalysis, counts);
    s.note('logs.security-events', counts);
    if (counts.refreshTokenReuse > 0)
      s.finding({
        severity: 'warning',
        key: 'logs.security-events.token-reuse',
        params: { n: counts.refreshTokenReuse, since: c.periodFrom.toISOString() },
        suffix: 'token-reuse',
      });
    if (counts.lockOuts > 0)
      s.finding({
        severity: 'info',
        key: 'logs.security-events.lockouts',
        params: { n: counts.lockOuts },
        suffix: 'lockouts',
      });
    if (counts.roleChanges > 0)
      s.finding({
        severity: 'info',
        key: 'logs.security-events.role-changes',
        params: { n: counts.roleChanges },
        suffix: 'role-changes',
      });
  });
}
