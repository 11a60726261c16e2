/**
 * What may reach a log line. Secrets (passwords, tokens, cookies, authorisation headers, join and
 * participant tokens) are replaced wherever they appear: as object keys at any depth, inside URL
 * query strings, as bearer credentials or URL user-info inside any string. Personal data (e-mails,
 * display names, user names) is masked unless LOG_PERSONAL_DATA=true.
 */

export const REDACTED = '[redacted]';

/** Keys whose value is a secret, whatever the nesting. */
const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|private[-_]?key|credentials?|signature|.*pass(word|wd|phrase).*|.*secret.*|.*token.*)$/i;
/** Keys whose value identifies a person. */
const PERSONAL_KEY = /^(e-?mail|email[-_]?address|display[-_]?name|user[-_]?name|full[-_]?name)$/i;

/** Secret-looking query parameters inside any string (URLs, messages). */
const QUERY_SECRET =
  /((?:^|[?&;\s,("'])(?:[a-z0-9_.-]*token|password|passwd|secret|api[-_]?key|key|signature|sig|x-amz-signature|x-amz-credential|x-amz-security-token|code_verifier)=)[^&#\s"']*/gi;
/** A secret inside JSON text that was logged as a string (a raw body, an upstream error). */
const JSON_SECRET =
  /("[A-Za-z_-]*(?:token|password|passwd|secret|authorization|cookie)"\s*:\s*")(?:[^"\\]|\\.)*"/gi;
const AUTH_SCHEME = /\b(Bearer|Basic|Digest)\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g;
/** randomToken() output: a short prefix, "_", 43 base64url characters. */
const RANDOM_TOKEN = /\b[a-z]{1,3}_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]*:)[^@\s/]+@/gi;
const MAYBE_SECRET = /[=_"]|eyJ|:\/\/|bearer|basic|digest/i;
const EMAIL = /\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b/g;

export interface RedactOptions {
  /** LOG_PERSONAL_DATA: keep e-mails and names as they are. */
  personalData: boolean;
}

export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return maskName(value);
  return `${value[0]}***@${value.slice(at + 1)}`;
}

export function maskName(value: string): string {
  return value.length === 0 ? value : `${[...value][0]}***`;
}

export function redactString(value: string, opts: RedactOptions): string {
  let out = value;
  // Cheap gate: every pattern below needs one of these, and most strings (routes, IPs) have none.
  if (out.length > 8 && MAYBE_SECRET.test(out)) {
    out = out
      .replace(QUERY_SECRET, `$1${REDACTED}`)
      .replace(JSON_SECRET, `$1${REDACTED}"`)
      .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
      .replace(JWT, REDACTED)
      .replace(RANDOM_TOKEN, REDACTED)
      .replace(URL_USERINFO, `$1${REDACTED}@`);
  }
  if (!opts.personalData && out.includes('@')) out = out.replace(EMAIL, '$1***@$2');
  return out;
}

function personal(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value === null || value === undefined ? value : REDACTED;
  return /mail/i.test(key) ? maskEmail(value) : maskName(value);
}

const MAX_DEPTH = 8;

/** A redacted deep copy; the input is never modified. */
export function redact(
  value: unknown,
  opts: RedactOptions,
  depth = 0,
  seen = new WeakSet<object>(),
): unknown {
  if (typeof value === 'string') return redactString(value, opts);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value))
    return `[binary ${(value as Uint8Array).byteLength} bytes]`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof URL) return redactString(value.toString(), opts);
  if (Array.isArray(value)) return value.map((v) => redact(v, opts, depth + 1, seen));
  const source: Record<string, unknown> =
    value instanceof Error ? errorFields(value) : (value as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(source)) {
    if (SECRET_KEY.test(key) && !isSafeKey(key)) out[key] = v === undefined || v === null ? v : REDACTED;
    else if (!opts.personalData && PERSONAL_KEY.test(key)) out[key] = personal(key, v);
    else out[key] = redact(v, opts, depth + 1, seen);
  }
  return out;
}

/** Names that contain "token" but carry no secret (counts, kinds, ids of rows). */
const isSafeKey = (key: string) => /^(tokenCount|tokens?Issued|tokenKind|tokenType)$/.test(key);

function errorFields(err: Error): Record<string, unknown> {
  const e = err as Error & {
    code?: unknown;
    statusCode?: unknown;
    status?: unknown;
    details?: unknown;
    cause?: unknown;
  };
  const out: Record<string, unknown> = {
    type: err.name || err.constructor?.name || 'Error',
    message: err.message,
    stack: err.stack,
  };
  if (e.code !== undefined) out.code = e.code;
  if (e.statusCode !== undefined) out.statusCode = e.statusCode;
  if (e.status !== undefined) out.status = e.status;
  if (e.details !== undefined) out.details = e.details;
  if (e.cause !== undefined) out.cause = e.cause;
  return out;
}

/** A URL's path and query with secret parameters replaced; never the fragment. */
export function redactUrl(url: string, opts: RedactOptions): string {
  const hash = url.indexOf('#');
  return redactString(hash >= 0 ? url.slice(0, hash) : url, opts);
}
