import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { InvitationDelivery } from '@rstream/protocol';
import type { Config } from '../../config.js';

export type MailConfig = Pick<
  Config,
  | 'DATA_DIR'
  | 'SMTP_URL'
  | 'SMTP_HOST'
  | 'SMTP_PORT'
  | 'SMTP_USER'
  | 'SMTP_PASSWORD'
  | 'SMTP_SECURE'
  | 'MAIL_FROM'
>;

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  send(mail: Mail): Promise<InvitationDelivery>;
  close(): void;
}

/**
 * Outgoing mail: SMTP when SMTP_URL or SMTP_HOST is set, otherwise RFC 822 files in
 * DATA_DIR/outbox/*.eml (written to .tmp, then renamed) that an operator can open or forward.
 */
export function createMailer(config: MailConfig): Mailer {
  const from = config.MAIL_FROM;
  const smtp: Transporter | null = config.SMTP_URL
    ? nodemailer.createTransport(config.SMTP_URL)
    : config.SMTP_HOST
      ? nodemailer.createTransport({
          host: config.SMTP_HOST,
          port: config.SMTP_PORT,
          secure: config.SMTP_SECURE,
          auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } : undefined,
        })
      : null;
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const outbox = path.join(config.DATA_DIR, 'outbox');

  return {
    kind: smtp ? 'smtp' : 'outbox',
    async send(mail) {
      if (smtp) {
        try {
          await smtp.sendMail({ from, ...mail });
          return { method: 'smtp', status: 'sent' };
        } catch (e) {
          return { method: 'smtp', status: 'failed', error: (e as Error).message.slice(0, 200) };
        }
      }
      try {
        const info = await builder.sendMail({ from, ...mail });
        await mkdir(outbox, { recursive: true, mode: 0o750 });
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`;
        const file = path.join(outbox, name);
        await writeFile(`${file}.tmp`, info.message as Buffer, { mode: 0o640 });
        await rename(`${file}.tmp`, file);
        return { method: 'outbox', status: 'written', file };
      } catch (e) {
        return { method: 'outbox', status: 'failed', error: (e as Error).message.slice(0, 200) };
      }
    },
    close() {
      smtp?.close();
    },
  };
}
