import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame, tickInterval } from './chart-frame';

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
        <LineChart
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
          <YAxis domain={[0, max]} tickFormatter={formatValue} tick={{ fontSize: 11 }} width={56} />
          <Tooltip
            formatter={(value) => [
              typeof value === 'number' ? formatValue(value) : '—',
              seriesName,
            ]}
          />
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
