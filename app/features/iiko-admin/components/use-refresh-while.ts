import { useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';

/** Re-runs the page's loaders every `intervalMs` while `active` and the tab is visible. */
export function useRefreshWhile(active: boolean, intervalMs = 2_000) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible' && revalidator.state === 'idle') {
        revalidator.revalidate();
      }
    }, intervalMs);
    return () => window.clearInterval(timer);
  }, [active, intervalMs, revalidator]);
}
