import { useFetchers, useNavigation, useRevalidator } from '@remix-run/react';
import { useCallback, useEffect, useRef } from 'react';

/**
 * Re-runs the page's loaders every `intervalMs` while the tab is visible, and at once when it
 * becomes visible again. A tick is skipped while a navigation, a revalidation or an action is in
 * flight (the action revalidates by itself), so refreshes never pile up on a slow connection.
 */
export function useBoardRefresh(intervalMs: number): { refresh: () => void; refreshing: boolean } {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const busy =
    revalidator.state !== 'idle' ||
    navigation.state !== 'idle' ||
    fetchers.some((f) => f.state !== 'idle');

  // the interval reads the latest values without being re-created on every render
  const latest = useRef({ busy, revalidate: revalidator.revalidate });
  latest.current = { busy, revalidate: revalidator.revalidate };

  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    const tick = () => {
      if (document.visibilityState === 'visible' && !latest.current.busy) {
        latest.current.revalidate();
      }
    };
    const start = () => {
      clearInterval(timer);
      timer = setInterval(tick, intervalMs);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') {
        tick();
        start();
      } else {
        clearInterval(timer);
      }
    };
    if (document.visibilityState === 'visible') start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [intervalMs]);

  const refresh = useCallback(() => latest.current.revalidate(), []);
  return { refresh, refreshing: revalidator.state !== 'idle' };
}
