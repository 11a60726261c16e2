import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** Stands in for Slack's incoming webhook or Twilio's Messages API: records every request. */
export interface HttpReceiver {
  url: string;
  requests: { path: string; headers: IncomingMessage['headers']; body: string }[];
  /** answer the next `n` requests (Infinity: all) with this status */
  failNext(n: number, status?: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function waiter(count: () => number) {
  let waiters: { n: number; resolve: () => void }[] = [];
  return {
    wake() {
      waiters = waiters.filter((w) => (count() >= w.n ? (w.resolve(), false) : true));
    },
    waitFor(n: number, timeoutMs = 10_000, what = 'requests') {
      if (count() >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${n} ${what}, got ${count()}`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: HttpReceiver['requests'] = [];
  let failing = 0;
  let failStatus = 500;
  const w = waiter(() => requests.length);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (failing > 0) {
        failing--;
        res.writeHead(failStatus).end('failing on purpose');
      } else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      w.wake();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(n, status = 500) {
      failing = n;
      failStatus = status;
    },
    waitFor: (n, t) => w.waitFor(n, t),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export interface Mail {
  from: string;
  to: string[];
  subject: string;
  headers: string;
  text: string;
}
export interface SmtpReceiver {
  url: string;
  mails: Mail[];
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) that keeps every message, headers unfolded, body QP-decoded. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: Mail[] = [];
  const w = waiter(() => mails.length);
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString();
        const split = raw.indexOf('\r\n\r\n');
        const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
        let text = raw.slice(split + 4);
        if (/content-transfer-encoding:\s*quoted-printable/i.test(headers)) {
          text = text
            .replace(/=\r?\n/g, '')
            .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
        }
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: /^subject: (.*)$/im.exec(headers)?.[1] ?? '',
          headers,
          text: text.replace(/\r\n/g, '\n'),
        });
        w.wake();
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    waitFor: (n, t) => w.waitFor(n, t, 'mails'),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
