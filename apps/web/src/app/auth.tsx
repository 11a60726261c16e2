import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { User } from '@rstream/protocol';
import { api } from '../api/client';
import { authApi } from '../api/endpoints';

type AuthStatus = 'loading' | 'in' | 'out';

interface AuthValue {
  status: AuthStatus;
  user: User | null;
  login: (email: string, password: string) => Promise<User>;
  register: (email: string, password: string, username: string) => Promise<User>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

/**
 * Speaker auth: trade the refresh cookie for an access token and fetch the user — once, and only
 * when `probe` is set (a listener's pages have no account: no refresh call, no 401 in the console).
 */
export function AuthProvider({ children, probe = true }: { children: ReactNode; probe?: boolean }) {
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [user, setUser] = useState<User | null>(null);
  const probed = useRef(false);

  useEffect(() => {
    if (!probe || probed.current) return;
    probed.current = true;
    let cancelled = false;
    (async () => {
      const token = await api.refresh();
      if (!token) return null;
      try {
        return (await authApi.me()).user;
      } catch {
        return null;
      }
    })().then((u) => {
      if (cancelled) return;
      setUser(u);
      setStatus(u ? 'in' : 'out');
    });
    return () => {
      cancelled = true;
      // StrictMode runs effects twice: let the second run probe again.
      probed.current = false;
    };
  }, [probe]);

  // A failed refresh (cookie expired/revoked) logs the speaker out everywhere in the app.
  useEffect(
    () =>
      api.onTokenChange((token) => {
        if (token === null) {
          setUser(null);
          setStatus('out');
        }
      }),
    [],
  );

  const login = useCallback(async (email: string, password: string) => {
    const res = await authApi.login(email, password);
    api.setAccessToken(res.accessToken);
    setUser(res.user);
    setStatus('in');
    return res.user;
  }, []);

  const register = useCallback(
    async (email: string, password: string, username: string) => {
      await authApi.register(email, password, username);
      return login(email, password);
    },
    [login],
  );

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {}
    api.setAccessToken(null);
    setUser(null);
    setStatus('out');
  }, []);

  const value = useMemo(
    () => ({ status, user, login, register, logout }),
    [status, user, login, register, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside <AuthProvider>');
  return value;
}

/** The speaker's WebSocket token source: a token valid for at least a minute, refreshed if needed. */
export const speakerToken = ({ force }: { force: boolean }) => api.freshAccessToken(force);
