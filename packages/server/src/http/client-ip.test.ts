import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createClientIp } from './client-ip.js';

const req = (remote: string, xff?: string) =>
  ({
    socket: { remoteAddress: remote },
    headers: xff ? { 'x-forwarded-for': xff } : {},
  }) as unknown as IncomingMessage;

describe('client address behind trusted proxies', () => {
  it('takes the first untrusted hop from the right, never a made-up leftmost one', () => {
    const ip = createClientIp(['127.0.0.1', '::1', '10.0.0.0/8']);
    expect(ip(req('127.0.0.1', '198.51.100.1, 203.0.113.7'))).toBe('203.0.113.7');
    expect(ip(req('::ffff:127.0.0.1', '203.0.113.7, 10.1.2.3'))).toBe('203.0.113.7');
    expect(ip(req('::1', '2001:db8::5'))).toBe('2001:db8::5');
  });
  it('ignores the header from an untrusted peer, and without any trusted proxy', () => {
    expect(createClientIp(['127.0.0.1'])(req('203.0.113.9', '1.2.3.4'))).toBe('203.0.113.9');
    expect(createClientIp([])(req('127.0.0.1', '1.2.3.4'))).toBe('127.0.0.1');
    expect(createClientIp(['127.0.0.1'])(req('127.0.0.1'))).toBe('127.0.0.1');
  });
});
