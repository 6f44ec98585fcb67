import { useEffect, useState } from 'preact/hooks';
import { api, type SessionInfo, whenSignedOut } from './api.js';
import { Shell } from './shell.js';
import { SignIn } from './sign-in.js';
import { NoticeProvider } from './ui/notice.js';

/** Finds out whether a session is open, then shows the sign-in screen or the app. */
export function App() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);

  useEffect(() => {
    whenSignedOut(() => setSession(null));
    api.session.current().then(setSession, () => setSession(null));
  }, []);

  if (session === undefined) return <p class="boot">Loading…</p>;
  return (
    <NoticeProvider>
      {session === null ? (
        <SignIn onSignedIn={setSession} />
      ) : (
        <Shell session={session} onSignedOut={() => setSession(null)} />
      )}
    </NoticeProvider>
  );
}
