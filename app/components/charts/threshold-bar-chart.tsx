import { Bar, BarChart, Tooltip, YAxis } from 'recharts';
import { ChartFrame } from './chart-frame';
import { bucketAxis, CHART_MARGIN, chartGrid, thresholdLine } from './chart-parts';

export interface CountPoint {
  /** Tick and tooltip label (already localised). */
  label: string;
  value: number;
}

/**
 * Counts per bucket as bars with a dashed threshold line (e.g. failed iiko attempts per hour and
 * the alert's 3). `id` keeps Recharts' generated SVG ids stable between server and browser.
 */
export function ThresholdBarChart({
  id,
  points,
  threshold,
  seriesName,
  thresholdLabel,
  xLabel,
  height = 260,
}: {
  id: string;
  points: CountPoint[];
  threshold: number;
  seriesName: string;
  thresholdLabel: string;
  xLabel: string;
  height?: number;
}) {
  const max = Math.max(threshold + 1, ...points.map((p) => p.value));
  return (
    <ChartFrame height={height} label={seriesName}>
      {(width) => (
        <BarChart id={id} width={width} height={height} data={points} margin={CHART_MARGIN}>
          {chartGrid()}
          {bucketAxis(points.length, xLabel)}
          <YAxis
            domain={[0, max]}
            allowDecimals={false}
            interval={0}
            tick={{ fontSize: 11 }}
            width={40}
          />
          <Tooltip formatter={(value) => [String(value), seriesName]} />
          {thresholdLine(threshold, thresholdLabel)}
          <Bar
            id={`${id}-bar`}
            dataKey="value"
            name={seriesName}
            fill="#b45309"
            isAnimationActive={false}
          />
        </BarChart>
      )}
    </ChartFrame>
  );
}
