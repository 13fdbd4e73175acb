import { Line, LineChart, Tooltip, YAxis } from 'recharts';
import { ChartFrame } from './chart-frame';
import { bucketAxis, CHART_MARGIN, chartGrid, thresholdLine } from './chart-parts';

export interface ThresholdPoint {
  /** Tick and tooltip label (already localised). */
  label: string;
  /** null = no value in this bucket (the line breaks). */
  value: number | null;
}

/**
 * A line over time with a dashed threshold line (e.g. the payment failure rate and its 5 %).
 * `id` keeps Recharts' generated SVG ids stable between the server and the browser.
 */
export function ThresholdLineChart({
  id,
  points,
  threshold,
  seriesName,
  thresholdLabel,
  xLabel,
  formatValue,
  height = 260,
}: {
  id: string;
  points: ThresholdPoint[];
  threshold: number;
  seriesName: string;
  thresholdLabel: string;
  xLabel: string;
  formatValue: (value: number) => string;
  height?: number;
}) {
  const max = Math.max(threshold * 1.5, ...points.map((p) => p.value ?? 0));
  return (
    <ChartFrame height={height} label={seriesName}>
      {(width) => (
        <LineChart id={id} width={width} height={height} data={points} margin={CHART_MARGIN}>
          {chartGrid()}
          {bucketAxis(points.length, xLabel)}
          <YAxis domain={[0, max]} tickFormatter={formatValue} tick={{ fontSize: 11 }} width={56} />
          <Tooltip
            formatter={(value) => [
              typeof value === 'number' ? formatValue(value) : '—',
              seriesName,
            ]}
          />
          {thresholdLine(threshold, thresholdLabel)}
          <Line
            id={`${id}-line`}
            type="linear"
            dataKey="value"
            name={seriesName}
            stroke="#0f766e"
            strokeWidth={2}
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      )}
    </ChartFrame>
  );
}
