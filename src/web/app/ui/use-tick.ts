import { useEffect, useState } from 'preact/hooks';

/** Re-renders every `ms`, so texts like "5 minutes ago" keep telling the truth on an idle page. */
export function useTick(ms: number): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
}
