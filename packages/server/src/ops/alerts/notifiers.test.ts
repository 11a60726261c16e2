import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { headline, parseRoutes, plainText, type AlertMessage } from './notifiers.js';

describe('alert routing and message text', () => {
  it('parses ALERT_ROUTES; a severity left out gets no channel', () => {
    expect(parseRoutes('critical=slack,email,sms;warning=slack,email;info=')).toEqual({
      critical: ['slack', 'email', 'sms'],
      warning: ['slack', 'email'],
      info: [],
    });
    expect(parseRoutes(' critical = sms ; info = slack ')).toEqual({
      critical: ['sms'],
      warning: [],
      info: ['slack'],
    });
    expect(() => parseRoutes('critical=pager')).toThrow(/unknown channel "pager"/);
    expect(() => parseRoutes('urgent=sms')).toThrow(/unknown severity "urgent"/);
  });

  it('refuses a bad ALERT_ROUTES at start-up with the setting named', () => {
    expect(() => loadConfig({ ALERT_ROUTES: 'critical=pager' })).toThrow(ConfigError);
    expect(() => loadConfig({ ALERT_ROUTES: 'critical=pager' })).toThrow(
      /ALERT_ROUTES="critical=pager": must look like/,
    );
    expect(loadConfig({ ALERT_ROUTES: 'critical=sms;warning=;info=' }).ALERT_ROUTES).toBe(
      'critical=sms;warning=;info=',
    );
    expect(() => loadConfig({ ALERT_SLACK_WEBHOOK_URL: 'ftp://x' })).toThrow(
      /ALERT_SLACK_WEBHOOK_URL=\(hidden\)/,
    );
  });

  it('says state, severity, level, name, summary, runbook and fingerprint', () => {
    const m: AlertMessage = {
      kind: 'repeat',
      name: 'DiskNearlyFull',
      severity: 'warning',
      level: 3,
      summary: 'Disk of the data folder on a is 85.0% full',
      description: 'The filesystem holding /srv is more than 80% used.',
      labels: { instance: 'a', volume: 'data' },
      fingerprint: '0123456789abcdef',
      startedAt: new Date('2026-03-02T09:00:00Z'),
      resolvedAt: null,
      runbookUrl: 'https://x/disk-nearly-full.md',
      dashboardUrl: null,
    };
    expect(headline(m)).toBe(
      '[STILL FIRING] [WARNING] [Level 3] DiskNearlyFull: Disk of the data folder on a is 85.0% full',
    );
    const text = plainText(m);
    expect(text).toContain('Labels: instance=a, volume=data');
    expect(text).toContain('Runbook: https://x/disk-nearly-full.md');
    expect(text).not.toContain('Dashboard:');
  });
});
