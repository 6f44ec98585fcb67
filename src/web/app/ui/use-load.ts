import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  /** Loads again; the old data stays on screen until the new data arrives. */
  reload: () => Promise<void>;
  /** Shows a change the server has confirmed before the next load brings it back. */
  update: (change: (data: T) => T) => void;
}

/** Loads data for a screen and keeps only the answer to the latest request. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);
  // The loader changes identity every render; the caller's deps say when it means something new.
  const run = useCallback(load, deps);

  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const value = await run();
      if (ticket !== latest.current) return;
      setData(value);
      setError(null);
    } catch (e) {
      if (ticket !== latest.current) return;
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, [run]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const update = useCallback(
    (change: (data: T) => T) => setData((d) => (d === undefined ? d : change(d))),
    [],
  );

  return { data, error, loading, reload, update };
}
