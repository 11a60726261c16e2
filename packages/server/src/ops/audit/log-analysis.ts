import { trailCount } from './checks-access.js';
import type { Collector } from './model.js';

/** The audit period's security events, from the security trail (the security stream writes the same events). */
export async function analyseLogs(c: Collector): Promise<void> {
  await c.check('logs.security-events', 'logs', 'Security events of the period', async (s) => {
    const counts: Record<string, number> = {
      failedSignIns: await trailCount(c, ['login_failed', 'password_check_failed']),
      lockOuts: await trailCount(c, ['account_locked', 'login_blocked', 'ip_blocked']),
      refreshTokenReuse: await trailCount(c, ['refresh_token_reuse']),
      deniedRequests: await trailCount(c, ['permission_denied']),
      wsRefusals: await trailCount(c, ['ws_denied']),
      roleChanges: await trailCount(c, ['role_changed', 'user_disabled', 'user_enabled']),
      riskAcceptances: await trailCount(c, ['security_risk_accepted']),
    };
    Object.assign(c.logAnalysis, counts);
    s.note(
      Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    );
    if (counts.refreshTokenReuse! > 0)
      s.finding({
        severity: 'warning',
        title: 'Refresh tokens were reused (possible token theft)',
        evidence: `${counts.refreshTokenReuse} refresh_token_reuse event(s) since ${c.periodFrom.toISOString()}`,
        fix: 'npm run rstream -- logs search --type refresh_token_reuse; the families were revoked — contact the users, have them change passwords',
        suffix: 'token-reuse',
      });
    if (counts.lockOuts! > 0)
      s.finding({
        severity: 'info',
        title: 'Accounts or addresses were locked out',
        evidence: `${counts.lockOuts} lock-out event(s) in the period`,
        fix: 'Admin → Security trail, type account_locked / ip_blocked: check whether one address drives them',
        suffix: 'lockouts',
      });
    if (counts.roleChanges! > 0)
      s.finding({
        severity: 'info',
        title: 'Roles or account states were changed',
        evidence: `${counts.roleChanges} role_changed / user_disabled / user_enabled event(s) in the period`,
        fix: 'Admin → Security trail, types role_changed and user_disabled: confirm each change was intended',
        suffix: 'role-changes',
      });
  });
}
