import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useRef, useState } from 'preact/hooks';

export type Tone = 'info' | 'success' | 'error';

interface Notice {
  id: number;
  tone: Tone;
  text: string;
}

type Notify = (text: string, tone?: Tone) => void;

const NoticeContext = createContext<Notify>(() => {});

/** Success and error messages of any screen, read out by screen readers through a live region. */
export function NoticeProvider({ children }: { children: ComponentChildren }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const next = useRef(1);
  const dismiss = (id: number) => setNotices((all) => all.filter((n) => n.id !== id));
  const notify = useCallback<Notify>((text, tone = 'info') => {
    const id = next.current++;
    setNotices((all) => [...all.slice(-2), { id, tone, text }]);
    // Errors stay until closed: they may need reading twice.
    if (tone !== 'error') setTimeout(() => dismiss(id), 6000);
  }, []);
  return (
    <NoticeContext.Provider value={notify}>
      {children}
      <div class="notices" role="status" aria-live="polite">
        {notices.map((n) => (
          <div key={n.id} class={`notice notice-${n.tone}`}>
            <span>{n.text}</span>
            <button type="button" class="link" aria-label="Close message" onClick={() => dismiss(n.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </NoticeContext.Provider>
  );
}

export const useNotify = (): Notify => useContext(NoticeContext);

/** The text of a failure, for a notice. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
