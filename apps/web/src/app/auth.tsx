import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
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

/** Speaker auth: on load, trade the refresh cookie for an access token and fetch the user. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [user, setUser] = useState<User | null>(null);

  useEffect(() => {
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
    };
  }, []);

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
