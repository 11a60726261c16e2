import { parseErrorBody } from '../realtime/wire';

/** An API failure with the server's `{error:{code,message,details}}`, or NETWORK when unreachable. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  body?: unknown;
  /** A participant token: sent as bearer instead of the speaker's access token, never refreshed. */
  bearer?: string;
  signal?: AbortSignal;
}

type TokenListener = (token: string | null) => void;

/** Seconds left before a JWT expires (null when it cannot be read). */
export function jwtSecondsLeft(token: string, nowMs = Date.now()): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp - nowMs / 1000 : null;
  } catch {
    return null;
  }
}

/**
 * fetch wrapper: JSON in and out, cookies included, the speaker's access token kept in memory.
 * A 401 on a speaker call triggers one refresh (POST /api/auth/refresh, cookie) and one retry.
 */
export class ApiClient {
  private accessToken: string | null = null;
  private refreshing: Promise<string | null> | null = null;
  private readonly tokenListeners = new Set<TokenListener>();

  constructor(
    private readonly baseUrl = '',
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  getAccessToken(): string | null {
    return this.accessToken;
  }

  setAccessToken(token: string | null): void {
    if (token === this.accessToken) return;
    this.accessToken = token;
    for (const fn of this.tokenListeners) fn(token);
  }

  onTokenChange(fn: TokenListener): () => void {
    this.tokenListeners.add(fn);
    return () => this.tokenListeners.delete(fn);
  }

  /** Gets a new access token from the refresh cookie; concurrent callers share one request. */
  refresh(): Promise<string | null> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<string | null> {
    try {
      const res = await this.fetchImpl(`${this.baseUrl}/api/auth/refresh`, {
        method: 'POST',
        credentials: 'include',
        headers: { accept: 'application/json' },
      });
      if (!res.ok) {
        this.setAccessToken(null);
        return null;
      }
      const body = (await res.json()) as { accessToken?: unknown };
      const token = typeof body.accessToken === 'string' ? body.accessToken : null;
      this.setAccessToken(token);
      return token;
    } catch {
      // Offline: keep whatever token we have; the caller decides.
      return this.accessToken;
    }
  }

  /** A speaker token valid for at least another minute (for WebSocket connects). */
  async freshAccessToken(force = false): Promise<string | null> {
    const token = this.accessToken;
    const left = token ? jwtSecondsLeft(token) : null;
    if (!force && token && (left === null || left > 60)) return token;
    return this.refresh();
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const usesSpeakerToken = opts.bearer === undefined;
    let res = await this.send(method, path, opts);
    if (res.status === 401 && usesSpeakerToken && !path.startsWith('/api/auth/')) {
      const token = await this.refresh();
      if (token) res = await this.send(method, path, opts);
    }
    return this.parse<T>(res);
  }

  get<T>(path: string, opts?: RequestOptions) {
    return this.request<T>('GET', path, opts);
  }
  post<T>(path: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>('POST', path, { ...opts, body });
  }
  put<T>(path: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>('PUT', path, { ...opts, body });
  }
  delete<T>(path: string, opts?: RequestOptions) {
    return this.request<T>('DELETE', path, opts);
  }

  private async send(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const bearer = opts.bearer ?? this.accessToken;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        credentials: 'include',
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal,
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : 'network error');
    }
  }

  private async parse<T>(res: Response): Promise<T> {
    const text = res.status === 204 ? '' : await res.text();
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (res.ok) return json as T;
    const parsed = parseErrorBody(json);
    if (parsed) {
      const e = parsed.error;
      throw new ApiError(res.status, e.code, e.message, e.details, e.requestId);
    }
    const code = res.status >= 500 ? 'INTERNAL' : `HTTP_${res.status}`;
    throw new ApiError(res.status, code, res.statusText || code);
  }
}

/** The app's one API client. */
export const api = new ApiClient();
