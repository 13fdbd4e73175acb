import { CartesianGrid, ReferenceLine, XAxis } from 'recharts';
import { tickInterval } from './chart-frame';

/**
 * The parts every dashboard chart shares. Recharts finds its axes and reference lines by element
 * type among the chart's direct children, so these are functions returning those elements, not
 * components wrapping them.
 */

export const CHART_MARGIN = { top: 16, right: 24, bottom: 24, left: 8 };

export function chartGrid() {
  return <CartesianGrid stroke="#e7e5e4" strokeDasharray="3 3" />;
}

/** The bucket axis: `label` of each point, thinned to readable ticks, with the axis title. */
export function bucketAxis(points: number, title: string) {
  return (
    <XAxis
      dataKey="label"
      interval={tickInterval(points)}
      tick={{ fontSize: 11 }}
      label={{ value: title, position: 'insideBottom', offset: -12, fontSize: 11 }}
    />
  );
}

/** The dashed red line of an alert threshold, labelled at its right end. */
export function thresholdLine(y: number, label: string) {
  return (
    <ReferenceLine
      y={y}
      stroke="#dc2626"
      strokeDasharray="6 4"
      label={{ value: label, position: 'insideTopRight', fill: '#dc2626', fontSize: 11 }}
    />
  );
}
