import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { SEVERITIES, type Severity } from './rules.js';

/** What a notification says; built once, rendered per channel. */
export interface AlertMessage {
  kind: 'firing' | 'repeat' | 'resolved';
  name: string;
  severity: Severity;
  level: number;
  summary: string;
  description: string;
  labels: Record<string, string>;
  fingerprint: string;
  startedAt: Date;
  resolvedAt: Date | null;
  runbookUrl: string;
  dashboardUrl: string | null;
}

export type ChannelName = 'slack' | 'email' | 'sms';
export const CHANNELS: ChannelName[] = ['slack', 'email', 'sms'];

export interface Channel {
  name: ChannelName;
  send(m: AlertMessage): Promise<void>;
  close?(): void;
}

export interface DeliveryResult {
  channel: ChannelName;
  ok: boolean;
  attempts: number;
  error: string | null;
}

/** `critical=slack,email,sms;warning=slack,email;info=` → channels per severity. */
export function parseRoutes(spec: string): Record<Severity, ChannelName[]> {
  const routes: Record<Severity, ChannelName[]> = { critical: [], warning: [], info: [] };
  for (const part of spec
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [sev, list = ''] = part.split('=').map((x) => x.trim());
    if (!SEVERITIES.includes(sev as Severity))
      throw new Error(`ALERT_ROUTES: unknown severity "${sev}" (critical, warning, info)`);
    const chans = list
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    for (const c of chans)
      if (!CHANNELS.includes(c as ChannelName))
        throw new Error(`ALERT_ROUTES: unknown channel "${c}" (slack, email, sms)`);
    routes[sev as Severity] = chans as ChannelName[];
  }
  return routes;
}

const ICON: Record<Severity, string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
};
const labelText = (l: Record<string, string>) =>
  Object.entries(l)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

export function headline(m: AlertMessage): string {
  const state = m.kind === 'resolved' ? 'RESOLVED' : m.kind === 'repeat' ? 'STILL FIRING' : 'FIRING';
  return `[${state}] [${m.severity.toUpperCase()}] [Level ${m.level}] ${m.name}: ${m.summary}`;
}

export function plainText(m: AlertMessage): string {
  return [
    headline(m),
    '',
    m.description,
    `Labels: ${labelText(m.labels) || '(none)'}`,
    `Started: ${m.startedAt.toISOString()}`,
    ...(m.resolvedAt ? [`Resolved: ${m.resolvedAt.toISOString()}`] : []),
    `Runbook: ${m.runbookUrl}`,
    ...(m.dashboardUrl ? [`Dashboard: ${m.dashboardUrl}`] : []),
    `Fingerprint: ${m.fingerprint}`,
  ].join('\n');
}

async function post(url: string, init: RequestInit, what: string): Promise<void> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    // never include the URL: webhook URLs and account ids are secrets
    throw new Error(`${what} answered HTTP ${res.status}`);
  }
  await res.body?.cancel().catch(() => {});
}

export function slackChannel(webhookUrl: string): Channel {
  return {
    name: 'slack',
    async send(m) {
      const text = `${m.kind === 'resolved' ? ':white_check_mark:' : ICON[m.severity]} ${headline(m)}\n${m.description}\n<${m.runbookUrl}|Runbook>${m.dashboardUrl ? ` · <${m.dashboardUrl}|Dashboard>` : ''}`;
      await post(
        webhookUrl,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) },
        'Slack',
      );
    },
  };
}

export function emailChannel(config: Config): Channel | null {
  if (!config.ALERT_EMAIL_TO || !(config.SMTP_URL || config.SMTP_HOST)) return null;
  const transport = config.SMTP_URL
    ? nodemailer.createTransport(config.SMTP_URL)
    : nodemailer.createTransport({
        host: config.SMTP_HOST,
        port: config.SMTP_PORT,
        secure: config.SMTP_SECURE,
        auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } : undefined,
      });
  return {
    name: 'email',
    async send(m) {
      await transport.sendMail({
        from: config.ALERT_EMAIL_FROM,
        to: config.ALERT_EMAIL_TO,
        subject: headline(m).slice(0, 200),
        text: plainText(m),
        headers: {
          'X-RStream-Alert': m.name,
          'X-RStream-Severity': m.severity,
          'X-RStream-Fingerprint': m.fingerprint,
        },
      });
    },
    close: () => transport.close(),
  };
}

/** Twilio's Messages API (or a compatible one): form-encoded POST, HTTP basic auth, one per recipient. */
export function smsChannel(config: Config): Channel | null {
  const {
    ALERT_SMS_URL: base,
    ALERT_SMS_ACCOUNT_SID: sid,
    ALERT_SMS_AUTH_TOKEN: token,
    ALERT_SMS_FROM: from,
    ALERT_SMS_TO: to,
  } = config;
  if (!base || !sid || !token || !from || !to) return null;
  const url = `${base.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;
  const recipients = to
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  return {
    name: 'sms',
    async send(m) {
      const body =
        `${m.kind === 'resolved' ? 'RESOLVED' : m.severity.toUpperCase()} L${m.level} ${m.name}: ${m.summary}`.slice(
          0,
          300,
        );
      for (const r of recipients) {
        await post(
          url,
          {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ To: r, From: from, Body: body }).toString(),
          },
          'SMS API',
        );
      }
    },
  };
}

export interface Notifier {
  routes: Record<Severity, ChannelName[]>;
  configured: ChannelName[];
  /** Sends to every channel routed for the severity, in parallel; never throws. */
  send(m: AlertMessage): Promise<DeliveryResult[]>;
  /** Sends to the named channels, whatever the routes say (the Alertmanager relay). */
  sendVia(channels: ChannelName[], m: AlertMessage): Promise<DeliveryResult[]>;
  close(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createNotifier(opts: {
  channels: Channel[];
  routes: Record<Severity, ChannelName[]>;
  retries: number;
  backoffMs: number;
  log: Logger;
}): Notifier {
  const byName = new Map(opts.channels.map((c) => [c.name, c]));
  async function deliver(c: Channel, m: AlertMessage): Promise<DeliveryResult> {
    let error = '';
    for (let attempt = 1; attempt <= opts.retries; attempt++) {
      try {
        await c.send(m);
        return { channel: c.name, ok: true, attempts: attempt, error: null };
      } catch (e) {
        error = (e as Error).message;
        opts.log.warn({ channel: c.name, alert: m.name, attempt, error }, 'alert notification failed');
        if (attempt < opts.retries) await sleep(opts.backoffMs * 2 ** (attempt - 1));
      }
    }
    opts.log.error(
      { channel: c.name, alert: m.name, attempts: opts.retries, error },
      'alert notification gave up',
    );
    return { channel: c.name, ok: false, attempts: opts.retries, error };
  }
  return {
    routes: opts.routes,
    configured: [...byName.keys()],
    async send(m) {
      return this.sendVia(opts.routes[m.severity], m);
    },
    async sendVia(channels, m) {
      const targets = channels.map((n) => byName.get(n)).filter((c): c is Channel => !!c);
      return Promise.all(targets.map((c) => deliver(c, m)));
    },
    close() {
      for (const c of opts.channels) c.close?.();
    },
  };
}

/** The channels that have their settings; the others are left out (and said so once). */
export function channelsFromConfig(config: Config, log: Logger): Channel[] {
  const out: Channel[] = [];
  if (config.ALERT_SLACK_WEBHOOK_URL) out.push(slackChannel(config.ALERT_SLACK_WEBHOOK_URL));
  const email = emailChannel(config);
  if (email) out.push(email);
  const sms = smsChannel(config);
  if (sms) out.push(sms);
  const missing = CHANNELS.filter((c) => !out.some((o) => o.name === c));
  if (missing.length) log.info({ missing }, 'alert channels without settings are skipped');
  return out;
}
