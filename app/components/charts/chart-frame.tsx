import { useEffect, useRef, useState, type ReactNode } from 'react';

/** Width of the chart before the browser has measured its box (server render and first paint). */
const INITIAL_WIDTH = 720;

/**
 * A fixed-height box whose children get its measured width. Recharts' ResponsiveContainer draws
 * nothing on the server (it has no box to measure); this frame renders the chart at a fixed width
 * on the server and on the first client render (the same markup, so hydration matches), then
 * follows the box's width.
 */
export function ChartFrame({
  height,
  label,
  children,
}: {
  height: number;
  /** Accessible name of the chart. */
  label: string;
  children: (width: number) => ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(INITIAL_WIDTH);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setWidth(Math.max(240, Math.floor(el.clientWidth)));
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <div
      ref={ref}
      role="img"
      aria-label={label}
      style={{ height }}
      className="w-full overflow-hidden"
    >
      {children(width)}
    </div>
  );
}

/**
 * Every n-th x tick, for at most ~8 labels. A fixed interval, not Recharts' gap-based choice: that
 * one measures label text in the DOM, which the server cannot, and the browser would then render
 * other ticks than the server did (a hydration mismatch).
 */
export function tickInterval(points: number): number {
  return Math.max(0, Math.ceil(points / 8) - 1);
}
