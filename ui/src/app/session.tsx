// Who is signed in. The session cookie is HttpOnly, so the app cannot see it: after a sign-in it
// keeps a flag in sessionStorage and asks /auth/me on load only when that flag is set, so a
// first visit goes straight to the sign-in page without a 401 in the console.
import type { CurrentUser, Role } from '@enclave/contracts';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setUnauthenticatedHandler } from '../api/client.ts';

const FLAG = 'enclave.signedIn';

interface Session {
  readonly user: CurrentUser | null;
  readonly checking: boolean;
  readonly signIn: (email: string, password: string) => Promise<void>;
  readonly signOut: () => Promise<void>;
  readonly can: (...roles: Role[]) => boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<CurrentUser | null>(null);
  const [checking, setChecking] = useState(() => window.sessionStorage.getItem(FLAG) === '1');

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      window.sessionStorage.removeItem(FLAG);
      setUser(null);
    });
    if (window.sessionStorage.getItem(FLAG) !== '1') return;
    api('currentUser')
      .then((me) => setUser(me))
      .catch(() => window.sessionStorage.removeItem(FLAG))
      .finally(() => setChecking(false));
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const reply = await api('login', { body: { email, password } });
    window.sessionStorage.setItem(FLAG, '1');
    setUser(reply);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api('logout');
    } finally {
      window.sessionStorage.removeItem(FLAG);
      setUser(null);
    }
  }, []);

  const value = useMemo<Session>(
    () => ({
      user,
      checking,
      signIn,
      signOut,
      can: (...roles) => user !== null && roles.includes(user.role),
    }),
    [user, checking, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('useSession outside SessionProvider');
  return value;
}
