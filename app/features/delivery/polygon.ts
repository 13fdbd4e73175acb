/**
 * Delivery-zone geometry (DL-1, DL-2). Pure functions, shared by the admin forms, the checkout and
 * the SVG preview. Coordinates are degrees in our order `[lat, lng]`; zones are small enough that
 * treating them as planar (no great-circle maths) is exact to well below a metre for the inside /
 * outside question.
 */

export type LatLng = readonly [lat: number, lng: number];
export type Polygon = readonly LatLng[];

export type PolygonError =
  | 'delivery.polygon.error.empty'
  | 'delivery.polygon.error.syntax'
  | 'delivery.polygon.error.tooFewVertices'
  | 'delivery.polygon.error.outOfRange'
  | 'delivery.polygon.error.duplicateVertex'
  | 'delivery.polygon.error.selfIntersecting'
  | 'delivery.polygon.error.zeroArea'
  | 'delivery.polygon.error.holes'
  | 'delivery.polygon.error.notPolygon'
  | 'delivery.polygon.error.tooManyVertices';

export type PolygonResult = { ok: true; polygon: LatLng[] } | { ok: false; error: PolygonError };

/** Upper bound on vertices: keeps the O(n²) self-intersection check and the jsonb row small. */
export const MAX_VERTICES = 500;

// Tolerance for "on the edge": 1e-9 degrees is ~0.1 mm, far below GPS precision.
const EPS = 1e-9;

function cross(o: LatLng, a: LatLng, b: LatLng): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

function onSegment(p: LatLng, a: LatLng, b: LatLng): boolean {
  if (Math.abs(cross(a, b, p)) > EPS) return false;
  return (
    p[0] >= Math.min(a[0], b[0]) - EPS &&
    p[0] <= Math.max(a[0], b[0]) + EPS &&
    p[1] >= Math.min(a[1], b[1]) - EPS &&
    p[1] <= Math.max(a[1], b[1]) + EPS
  );
}

/**
 * DL-2: even-odd ray casting; a point on an edge or a vertex is inside. The polygon is implicitly
 * closed (a repeated first vertex at the end is harmless). Fewer than 3 vertices contain nothing.
 */
export function pointInPolygon(point: LatLng, polygon: Polygon): boolean {
  const n = polygon.length;
  if (n < 3) return false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    if (onSegment(point, polygon[j]!, polygon[i]!)) return true;
  }
  const [y, x] = point; // lat as y, lng as x
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const [yi, xi] = polygon[i]!;
    const [yj, xj] = polygon[j]!;
    // half-open rule (yi > y) !== (yj > y) counts a vertex on the ray exactly once
    if (yi > y !== yj > y) {
      const xCross = ((xj - xi) * (y - yi)) / (yj - yi) + xi;
      if (x < xCross) inside = !inside;
    }
  }
  return inside;
}

function segmentsIntersect(a: LatLng, b: LatLng, c: LatLng, d: LatLng): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (
    ((d1 > EPS && d2 < -EPS) || (d1 < -EPS && d2 > EPS)) &&
    ((d3 > EPS && d4 < -EPS) || (d3 < -EPS && d4 > EPS))
  ) {
    return true;
  }
  return onSegment(a, c, d) || onSegment(b, c, d) || onSegment(c, a, b) || onSegment(d, a, b);
}

/** Twice the signed area (shoelace). */
function doubleArea(polygon: Polygon): number {
  let sum = 0;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    sum += polygon[j]![1] * polygon[i]![0] - polygon[i]![1] * polygon[j]![0];
  }
  return sum;
}

const same = (a: LatLng, b: LatLng) => Math.abs(a[0] - b[0]) <= EPS && Math.abs(a[1] - b[1]) <= EPS;

/**
 * DL-1: ≥ 3 distinct vertices, latitude in [-90, 90] and longitude in [-180, 180], no repeated
 * vertex, no two edges crossing or touching except neighbours at their shared vertex, non-zero
 * area. A closing vertex equal to the first is dropped (GeoJSON rings repeat it).
 */
export function validatePolygon(points: readonly LatLng[]): PolygonResult {
  const selfIntersecting: PolygonResult = {
    ok: false,
    error: 'delivery.polygon.error.selfIntersecting',
  };
  const ring = points.map((p) => [p[0], p[1]] as LatLng);
  if (ring.length === 0) return { ok: false, error: 'delivery.polygon.error.empty' };
  if (ring.length > 1 && same(ring[0]!, ring[ring.length - 1]!)) ring.pop();
  if (ring.length > MAX_VERTICES)
    return { ok: false, error: 'delivery.polygon.error.tooManyVertices' };
  for (const [lat, lng] of ring) {
    if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180)
      return { ok: false, error: 'delivery.polygon.error.outOfRange' };
  }
  if (ring.length < 3) return { ok: false, error: 'delivery.polygon.error.tooFewVertices' };
  for (let i = 0; i < ring.length; i++) {
    for (let j = i + 1; j < ring.length; j++) {
      if (same(ring[i]!, ring[j]!))
        return { ok: false, error: 'delivery.polygon.error.duplicateVertex' };
    }
  }
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % n]!;
    for (let j = i + 1; j < n; j++) {
      const c = ring[j]!;
      const d = ring[(j + 1) % n]!;
      if (j === i + 1 || (i === 0 && j === n - 1)) {
        // neighbours share one vertex s and may only meet there: a fold back along the edge
        // (the far end p of one lying on the other) is a degenerate self-intersection
        const [s0, p, q] = j === i + 1 ? [b, a, d] : [a, b, c];
        if (onSegment(p, s0, q) || onSegment(q, s0, p)) return selfIntersecting;
        continue;
      }
      if (segmentsIntersect(a, b, c, d)) return selfIntersecting;
    }
  }
  // a simple polygon with no area left is collinear; kept as a backstop for rounding cases
  if (Math.abs(doubleArea(ring)) <= 1e-14)
    return { ok: false, error: 'delivery.polygon.error.zeroArea' };
  return { ok: true, polygon: ring };
}

function isNumberPair(value: unknown): value is [number, number] {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    typeof value[0] === 'number' &&
    typeof value[1] === 'number'
  );
}

/**
 * What an admin pastes into the zone form, in one of three shapes:
 * - GeoJSON: a Polygon geometry, or a Feature / single-feature FeatureCollection holding one.
 *   GeoJSON positions are `[lng, lat]` and are swapped to our `[lat, lng]`. Polygons with holes
 *   (more than one ring) are rejected: the zone stores one ring, and silently dropping a hole would
 *   deliver to the area the admin meant to exclude.
 * - A JSON array of `[lat, lng]` pairs (our stored format).
 * - A point list: one `lat, lng` (or `lat lng`, `lat;lng`) per line.
 * The result is validated with `validatePolygon`.
 */
export function parsePolygonInput(text: string): PolygonResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'delivery.polygon.error.empty' };
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      return { ok: false, error: 'delivery.polygon.error.syntax' };
    }
    return fromJson(value);
  }
  const points: LatLng[] = [];
  for (const line of trimmed.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const parts = line
      .trim()
      .split(/\s*[,;\s]\s*/)
      .filter((p) => p !== '');
    if (parts.length !== 2 || !parts.every((p) => /^[-+]?\d+(\.\d+)?$/.test(p)))
      return { ok: false, error: 'delivery.polygon.error.syntax' };
    points.push([Number(parts[0]), Number(parts[1])]);
  }
  return validatePolygon(points);
}

function fromJson(value: unknown): PolygonResult {
  if (Array.isArray(value)) {
    if (!value.every(isNumberPair)) return { ok: false, error: 'delivery.polygon.error.syntax' };
    return validatePolygon(value.map((p) => [p[0], p[1]] as LatLng));
  }
  if (typeof value !== 'object' || value === null)
    return { ok: false, error: 'delivery.polygon.error.syntax' };
  const obj = value as Record<string, unknown>;
  if (obj.type === 'FeatureCollection') {
    const features = Array.isArray(obj.features) ? obj.features : [];
    if (features.length !== 1) return { ok: false, error: 'delivery.polygon.error.notPolygon' };
    return fromJson(features[0]);
  }
  if (obj.type === 'Feature') return fromJson(obj.geometry);
  if (obj.type !== 'Polygon') return { ok: false, error: 'delivery.polygon.error.notPolygon' };
  const rings = obj.coordinates;
  if (!Array.isArray(rings) || rings.length === 0)
    return { ok: false, error: 'delivery.polygon.error.syntax' };
  if (rings.length > 1) return { ok: false, error: 'delivery.polygon.error.holes' };
  const outer: unknown = rings[0];
  if (!Array.isArray(outer) || !outer.every(isNumberPair))
    return { ok: false, error: 'delivery.polygon.error.syntax' };
  return validatePolygon(outer.map((p) => [p[1], p[0]] as LatLng));
}

/** A stored polygon (jsonb) read back, or null when it is not a list of number pairs. */
export function readStoredPolygon(value: unknown): LatLng[] | null {
  const parsed = typeof value === 'string' ? safeJson(value) : value;
  if (!Array.isArray(parsed) || !parsed.every(isNumberPair)) return null;
  return parsed.map((p) => [p[0], p[1]] as LatLng);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The polygon as the point-list text the form shows for editing. */
export function formatPointList(polygon: Polygon): string {
  return polygon.map(([lat, lng]) => `${lat}, ${lng}`).join('\n');
}

export interface ZoneCandidate {
  id: number;
  polygon: Polygon;
  /** Kopecks. */
  fee: number;
  isActive: boolean;
}

/** DL-3: among active zones containing the point, the lowest fee, then the lowest id. */
export function pickDeliveryZone<Z extends ZoneCandidate>(
  zones: readonly Z[],
  point: LatLng,
): Z | null {
  let best: Z | null = null;
  for (const zone of zones) {
    if (!zone.isActive || !pointInPolygon(point, zone.polygon)) continue;
    if (!best || zone.fee < best.fee || (zone.fee === best.fee && zone.id < best.id)) best = zone;
  }
  return best;
}
