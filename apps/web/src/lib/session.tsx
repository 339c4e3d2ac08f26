import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { changeLocale, type Locale, SUPPORTED_LOCALES } from '../i18n/index.ts';
import { ApiError, api, setCsrfToken } from './api.ts';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'supervisor' | 'agent' | 'collaborator';
  status: string;
  locale: string;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
  permissions: string[];
}

interface SessionState {
  session: Session | null;
  isLoading: boolean;
  can(permission: string): boolean;
  setSession(session: Session | null): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export const SESSION_QUERY_KEY = ['session'] as const;

async function fetchSession(): Promise<Session | null> {
  try {
    return await api.get<Session>('/auth/session');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const query = useQuery({ queryKey: SESSION_QUERY_KEY, queryFn: fetchSession, staleTime: 60_000, retry: false });
  const session = query.data ?? null;

  useEffect(() => {
    setCsrfToken(session?.csrfToken ?? null);
    const l = session?.user.locale;
    if (l && (SUPPORTED_LOCALES as readonly string[]).includes(l)) changeLocale(l as Locale);
  }, [session]);

  const setSession = useCallback(
    (s: Session | null) => {
      setCsrfToken(s?.csrfToken ?? null);
      qc.setQueryData(SESSION_QUERY_KEY, s);
    },
    [qc],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } finally {
      setSession(null);
      qc.clear();
    }
  }, [qc, setSession]);

  const value = useMemo<SessionState>(
    () => ({
      session,
      isLoading: query.isLoading,
      can: (p) => session?.permissions.includes(p) ?? false,
      setSession,
      signOut,
    }),
    [session, query.isLoading, setSession, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}
