import { z } from 'zod';
import { AppError, notFound, unauthenticated } from '../../errors.js';
import { bearerToken } from '../../http/caller.js';
import type { FeatureApp } from '../../http/feature.js';
import { safeEqual } from '../../platform/crypto.js';
import { CHANNELS, type AlertMessage, type ChannelName, type Notifier } from './notifiers.js';
import { SEVERITIES, type Severity } from './rules.js';

/**
 * POST /api/ops/alertmanager?channels=sms — Alertmanager's webhook receiver. Alertmanager has
 * no SMS receiver; it posts here and R-Stream sends through its own channels (ALERT_SMS_* …).
 */
const amAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  fingerprint: z.string().max(64).default(''),
});
const amBody = z.object({ version: z.string().optional(), alerts: z.array(amAlert).max(500) });
const amQuery = z.object({
  channels: z
    .string()
    .default('sms')
    .transform((v) =>
      v
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    )
    .refine((list) => list.length > 0 && list.every((c) => CHANNELS.includes(c as ChannelName)), {
      message: 'channels: slack, email, sms',
    }),
});

export function toMessage(a: z.infer<typeof amAlert>, dashboardUrl: string | null): AlertMessage {
  const { alertname = 'unknown', severity = 'warning', level = '3', ...labels } = a.labels;
  const resolvedAt = a.status === 'resolved' && a.endsAt ? new Date(a.endsAt) : null;
  return {
    kind: a.status === 'resolved' ? 'resolved' : 'firing',
    name: alertname,
    severity: (SEVERITIES.includes(severity as Severity) ? severity : 'warning') as Severity,
    level: Math.min(3, Math.max(1, Number(level) || 3)),
    summary: a.annotations.summary ?? alertname,
    description: a.annotations.description ?? '',
    labels,
    fingerprint: a.fingerprint,
    startedAt: new Date(a.startsAt),
    resolvedAt,
    runbookUrl: a.annotations.runbook_url ?? '',
    dashboardUrl,
  };
}

export function registerAlertmanagerRelay(
  app: FeatureApp,
  deps: { token: string | undefined; notifier: Notifier; dashboardUrl: string | null },
) {
  app.post(
    '/api/ops/alertmanager',
    {
      schema: {
        tags: ['ops'],
        summary: 'Alertmanager’s webhook: relayed through R-Stream’s channels (bearer token)',
        querystring: amQuery,
        body: amBody,
        response: { 200: z.object({ relayed: z.array(z.record(z.string(), z.unknown())) }) },
      },
      // The token is checked before the body is even validated: strangers learn nothing.
      preValidation: async (req) => {
        if (!deps.token) throw notFound('The Alertmanager relay is off: set ALERTMANAGER_WEBHOOK_TOKEN.');
        if (!safeEqual(bearerToken(req) ?? '', deps.token))
          throw unauthenticated('The relay needs its bearer token.');
      },
    },
    async (req) => {
      const { channels } = req.query;
      const body = req.body;
      const results = [];
      for (const a of body.alerts) {
        const sent = await deps.notifier.sendVia(channels as ChannelName[], toMessage(a, deps.dashboardUrl));
        results.push({ alert: a.labels.alertname ?? 'unknown', status: a.status, delivered: sent });
      }
      const failed = results.flatMap((r) => r.delivered).filter((d) => !d.ok);
      // a 5xx makes Alertmanager retry the whole notification
      if (failed.length > 0)
        throw new AppError(502, 'INTERNAL', `${failed.length} deliveries failed`, results);
      return { relayed: results };
    },
  );
}
