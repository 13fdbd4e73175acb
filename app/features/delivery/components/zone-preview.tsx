import type { LatLng } from '../polygon';

const COLORS = ['#0d9488', '#7c3aed', '#ea580c', '#2563eb', '#db2777', '#65a30d'];

export interface PreviewZone {
  id: number;
  name: string;
  polygon: readonly LatLng[];
  isActive: boolean;
}

/**
 * A small equirectangular sketch of the store point and its zones (no map tiles in v1). Longitude
 * is scaled by cos(latitude) so shapes keep their proportions at Moscow's latitude.
 */
export function ZonePreview({
  store,
  zones,
  label,
  width = 360,
  height = 240,
}: {
  store: LatLng | null;
  zones: readonly PreviewZone[];
  label: string;
  width?: number;
  height?: number;
}) {
  const points = [...zones.flatMap((z) => z.polygon), ...(store ? [store] : [])];
  if (points.length === 0) return null;
  const lats = points.map((p) => p[0]);
  const lngs = points.map((p) => p[1]);
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const kx = Math.cos((midLat * Math.PI) / 180);
  const minX = Math.min(...lngs) * kx;
  const maxX = Math.max(...lngs) * kx;
  const minY = Math.min(...lats);
  const maxY = Math.max(...lats);
  const spanX = Math.max(maxX - minX, 1e-4);
  const spanY = Math.max(maxY - minY, 1e-4);
  const pad = 12;
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  const offX = (width - spanX * scale) / 2;
  const offY = (height - spanY * scale) / 2;
  const project = ([lat, lng]: LatLng) =>
    [offX + (lng * kx - minX) * scale, height - (offY + (lat - minY) * scale)] as const;

  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${width} ${height}`}
      className="h-auto w-full max-w-md rounded-md border border-stone-200 bg-stone-50"
    >
      {zones.map((zone, i) => {
        const color = COLORS[i % COLORS.length];
        const d = zone.polygon
          .map((p) =>
            project(p)
              .map((v) => v.toFixed(1))
              .join(','),
          )
          .join(' ');
        return (
          <polygon
            key={zone.id}
            points={d}
            fill={color}
            fillOpacity={zone.isActive ? 0.2 : 0.05}
            stroke={color}
            strokeWidth={1.5}
            strokeDasharray={zone.isActive ? undefined : '4 3'}
          >
            <title>{zone.name}</title>
          </polygon>
        );
      })}
      {store ? (
        <circle
          cx={project(store)[0]}
          cy={project(store)[1]}
          r={5}
          fill="#1c1917"
          stroke="white"
          strokeWidth={2}
        />
      ) : null}
    </svg>
  );
}
