/** Great-circle distance for "how far is this store" (display only; delivery uses zones, DL-2). */

const EARTH_RADIUS_M = 6_371_000;

export interface LatLngPoint {
  lat: number;
  lng: number;
}

/** Haversine distance in metres. */
export function distanceMeters(a: LatLngPoint, b: LatLngPoint): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
