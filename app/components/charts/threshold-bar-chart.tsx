import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame, tickInterval } from './chart-frame';

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
        <BarChart
          id={id}
          width={width}
          height={height}
          data={points}
          margin={{ top: 16, right: 24, bottom: 24, left: 8 }}
        >
          <CartesianGrid stroke="#e7e5e4" strokeDasharray="3 3" />
          <XAxis
            dataKey="label"
            interval={tickInterval(points.length)}
            tick={{ fontSize: 11 }}
            label={{ value: xLabel, position: 'insideBottom', offset: -12, fontSize: 11 }}
          />
          <YAxis
            domain={[0, max]}
            allowDecimals={false}
            interval={0}
            tick={{ fontSize: 11 }}
            width={40}
          />
          <Tooltip formatter={(value) => [String(value), seriesName]} />
          <ReferenceLine
            y={threshold}
            stroke="#dc2626"
            strokeDasharray="6 4"
            label={{
              value: thresholdLabel,
              position: 'insideTopRight',
              fill: '#dc2626',
              fontSize: 11,
            }}
          />
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
