import { useRef, type MouseEvent } from 'react';
import { useT } from '~/i18n/use-t';

export type LatLngPair = readonly [lat: number, lng: number];

export interface PickerZone {
  id: number;
  name: string;
  polygon: LatLngPair[];
}

const WIDTH = 360;
const HEIGHT = 260;
const PAD = 18;

/**
 * A simple map without tiles (no geocoding in v1, DL-4): the store's delivery zones and the store,
 * drawn to scale; a click sets the delivery point. Longitude is scaled by cos(latitude) so shapes
 * keep their proportions. The latitude / longitude fields next to it do the same by keyboard.
 */
export function LocationPicker({
  zones,
  store,
  point,
  onPick,
}: {
  zones: PickerZone[];
  store: LatLngPair | null;
  point: LatLngPair | null;
  onPick: (point: LatLngPair) => void;
}) {
  const t = useT();
  const svgRef = useRef<SVGSVGElement>(null);
  const bounds = [...zones.flatMap((z) => z.polygon), ...(store ? [store] : [])];
  if (bounds.length === 0) return null;

  const lats = bounds.map((p) => p[0]);
  const lngs = bounds.map((p) => p[1]);
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const kx = Math.cos((midLat * Math.PI) / 180);
  // a margin around the zones, so a point just outside them can be picked too
  const marginLat = Math.max((Math.max(...lats) - Math.min(...lats)) * 0.15, 0.005);
  const marginLng = Math.max((Math.max(...lngs) - Math.min(...lngs)) * 0.15, 0.005);
  const minY = Math.min(...lats) - marginLat;
  const maxY = Math.max(...lats) + marginLat;
  const minX = (Math.min(...lngs) - marginLng) * kx;
  const maxX = (Math.max(...lngs) + marginLng) * kx;
  const scale = Math.min((WIDTH - 2 * PAD) / (maxX - minX), (HEIGHT - 2 * PAD) / (maxY - minY));
  const offX = (WIDTH - (maxX - minX) * scale) / 2;
  const offY = (HEIGHT - (maxY - minY) * scale) / 2;

  const project = ([lat, lng]: LatLngPair) =>
    [offX + (lng * kx - minX) * scale, HEIGHT - (offY + (lat - minY) * scale)] as const;
  const unproject = (x: number, y: number): LatLngPair => {
    const lat = minY + (HEIGHT - y - offY) / scale;
    const lng = (minX + (x - offX) / scale) / kx;
    return [Number(lat.toFixed(6)), Number(lng.toFixed(6))];
  };

  function handleClick(event: MouseEvent<SVGSVGElement>) {
    const svg = svgRef.current;
    if (!svg) return;
    const rect = svg.getBoundingClientRect();
    const x = ((event.clientX - rect.left) / rect.width) * WIDTH;
    const y = ((event.clientY - rect.top) / rect.height) * HEIGHT;
    onPick(unproject(x, y));
  }

  return (
    <figure className="space-y-1">
      <svg
        ref={svgRef}
        role="img"
        aria-label={t('checkout.delivery.mapLabel')}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        onClick={handleClick}
        className="h-auto w-full cursor-crosshair rounded-md border border-stone-200 bg-[linear-gradient(#e7e5e4_1px,transparent_1px),linear-gradient(90deg,#e7e5e4_1px,transparent_1px)] bg-[size:24px_24px]"
        data-testid="delivery-map"
      >
        {zones.map((zone) => (
          <polygon
            key={zone.id}
            points={zone.polygon
              .map((p) =>
                project(p)
                  .map((v) => v.toFixed(1))
                  .join(','),
              )
              .join(' ')}
            fill="#0d9488"
            fillOpacity={0.15}
            stroke="#0d9488"
            strokeWidth={1.5}
          >
            <title>{zone.name}</title>
          </polygon>
        ))}
        {store ? (
          <circle
            cx={project(store)[0]}
            cy={project(store)[1]}
            r={6}
            fill="#9c6330"
            stroke="white"
            strokeWidth={2}
          >
            <title>{t('checkout.delivery.mapStore')}</title>
          </circle>
        ) : null}
        {point ? (
          <g transform={`translate(${project(point)[0]} ${project(point)[1]})`}>
            <path
              d="M0 0 L-7 -14 A8 8 0 1 1 7 -14 Z"
              fill="#dc2626"
              stroke="white"
              strokeWidth={1.5}
            />
            <title>{t('checkout.delivery.mapPoint')}</title>
          </g>
        ) : null}
      </svg>
      <figcaption className="text-xs text-stone-500">{t('checkout.delivery.mapHint')}</figcaption>
    </figure>
  );
}
