import { useState } from 'preact/hooks';
import { messageOf, useNotify } from './notice.js';

/**
 * Runs a change against the API: disables the controls meanwhile, reports a failure as a notice,
 * then refreshes whatever the change touched. Resolves true when the change succeeded.
 */
export function useAction(refresh: () => Promise<unknown>) {
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<unknown>, success?: string): Promise<boolean> => {
    setBusy(true);
    try {
      await work();
      if (success) notify(success, 'success');
      return true;
    } catch (e) {
      notify(messageOf(e), 'error');
      return false;
    } finally {
      setBusy(false);
      await refresh();
    }
  };
  return { busy, run };
}
