import { describe, expect, it } from 'vitest';
import {
  formatPointList,
  parsePolygonInput,
  pickDeliveryZone,
  pointInPolygon,
  readStoredPolygon,
  validatePolygon,
  type LatLng,
} from './polygon';

const square: LatLng[] = [
  [0, 0],
  [0, 10],
  [10, 10],
  [10, 0],
];
// a "U" opening north: the notch lat in (3, 10], lng in (3, 7) is outside
const concave: LatLng[] = [
  [0, 0],
  [0, 10],
  [10, 10],
  [10, 7],
  [3, 7],
  [3, 3],
  [10, 3],
  [10, 0],
];

describe('pointInPolygon (DL-2)', () => {
  it('finds points inside and outside a square', () => {
    expect(pointInPolygon([5, 5], square)).toBe(true);
    expect(pointInPolygon([11, 5], square)).toBe(false);
    expect(pointInPolygon([-0.0001, 5], square)).toBe(false);
    expect(pointInPolygon([5, 10.0001], square)).toBe(false);
  });

  it('counts a point on an edge or a vertex as inside', () => {
    expect(pointInPolygon([0, 5], square)).toBe(true);
    expect(pointInPolygon([5, 10], square)).toBe(true);
    expect(pointInPolygon([10, 10], square)).toBe(true);
    expect(pointInPolygon([0, 0], square)).toBe(true);
    // on an edge of the notch of the concave shape
    expect(pointInPolygon([5, 7], concave)).toBe(true);
    expect(pointInPolygon([3, 5], concave)).toBe(true);
  });

  it('handles concave shapes, including rays passing through vertices', () => {
    expect(pointInPolygon([5, 5], concave)).toBe(false); // in the notch
    expect(pointInPolygon([5, 1], concave)).toBe(true); // left arm
    expect(pointInPolygon([5, 9], concave)).toBe(true); // right arm
    expect(pointInPolygon([1, 5], concave)).toBe(true); // base
    // rays along lat 3 run through the collinear edge (3,7)–(3,3) of the notch
    expect(pointInPolygon([3, 1], concave)).toBe(true);
    expect(pointInPolygon([3, 8], concave)).toBe(true);
    expect(pointInPolygon([3, -1], concave)).toBe(false);
    expect(pointInPolygon([3, 11], concave)).toBe(false);
    // along lat 10 the ray meets four vertices; the mouth of the notch is outside
    expect(pointInPolygon([10, 5], concave)).toBe(false);
    expect(pointInPolygon([7, 5], concave)).toBe(false);
    // a horizontal ray through the vertex of a diamond counts once
    const diamond: LatLng[] = [
      [0, 5],
      [5, 10],
      [10, 5],
      [5, 0],
    ];
    expect(pointInPolygon([5, -3], diamond)).toBe(false);
    expect(pointInPolygon([5, 3], diamond)).toBe(true);
    expect(pointInPolygon([5, 12], diamond)).toBe(false);
  });

  it('does not care about orientation or an explicit closing vertex', () => {
    const reversed = [...square].reverse();
    const closed = [...square, square[0]!];
    for (const polygon of [reversed, closed]) {
      expect(pointInPolygon([5, 5], polygon)).toBe(true);
      expect(pointInPolygon([5, 15], polygon)).toBe(false);
      expect(pointInPolygon([10, 5], polygon)).toBe(true);
    }
  });

  it('works on real Moscow coordinates', () => {
    const zone: LatLng[] = [
      [55.7, 37.5],
      [55.7, 37.7],
      [55.8, 37.7],
      [55.8, 37.5],
    ];
    expect(pointInPolygon([55.7558, 37.6173], zone)).toBe(true); // Red Square
    expect(pointInPolygon([55.9726, 37.4146], zone)).toBe(false); // Sheremetyevo
  });

  it('contains nothing with fewer than three vertices', () => {
    expect(pointInPolygon([0, 0], [])).toBe(false);
    expect(
      pointInPolygon(
        [0, 0],
        [
          [0, 0],
          [1, 1],
        ],
      ),
    ).toBe(false);
  });
});

describe('validatePolygon (DL-1)', () => {
  const error = (points: LatLng[]) => {
    const r = validatePolygon(points);
    return r.ok ? null : r.error;
  };

  it('accepts simple polygons and drops a closing vertex', () => {
    expect(validatePolygon(concave)).toEqual({ ok: true, polygon: concave });
    expect(validatePolygon([...square, [0, 0]])).toEqual({ ok: true, polygon: square });
  });

  it('needs three distinct vertices with coordinates in range', () => {
    expect(error([])).toBe('delivery.polygon.error.empty');
    expect(
      error([
        [0, 0],
        [1, 1],
      ]),
    ).toBe('delivery.polygon.error.tooFewVertices');
    expect(
      error([
        [0, 0],
        [1, 1],
        [0, 0],
      ]),
    ).toBe('delivery.polygon.error.tooFewVertices');
    expect(
      error([
        [0, 0],
        [91, 1],
        [1, 0],
      ]),
    ).toBe('delivery.polygon.error.outOfRange');
    expect(
      error([
        [0, 0],
        [1, -181],
        [1, 0],
      ]),
    ).toBe('delivery.polygon.error.outOfRange');
    expect(
      error([
        [0, 0],
        [1, Number.NaN],
        [1, 0],
      ]),
    ).toBe('delivery.polygon.error.outOfRange');
    expect(
      error([
        [0, 0],
        [0, 1],
        [1, 1],
        [0, 1],
      ]),
    ).toBe('delivery.polygon.error.duplicateVertex');
  });

  it('rejects self-intersecting shapes', () => {
    // bow tie
    expect(
      error([
        [0, 0],
        [10, 10],
        [10, 0],
        [0, 10],
      ]),
    ).toBe('delivery.polygon.error.selfIntersecting');
    // a vertex touching a non-adjacent edge
    expect(
      error([
        [0, 0],
        [0, 10],
        [10, 10],
        [0, 5],
        [10, 0],
      ]),
    ).toBe('delivery.polygon.error.selfIntersecting');
    // an edge folding back along its neighbour (a spike)
    expect(
      error([
        [0, 0],
        [0, 10],
        [0, 5],
        [10, 0],
      ]),
    ).toBe('delivery.polygon.error.selfIntersecting');
    // all collinear
    expect(
      error([
        [0, 0],
        [0, 1],
        [0, 2],
      ]),
    ).not.toBeNull();
  });
});

describe('parsePolygonInput', () => {
  it('reads a point list, one "lat, lng" per line', () => {
    expect(parsePolygonInput('55.7, 37.5\n55.7 37.7\n\n 55.8;37.7 \n55.8,37.5')).toEqual({
      ok: true,
      polygon: [
        [55.7, 37.5],
        [55.7, 37.7],
        [55.8, 37.7],
        [55.8, 37.5],
      ],
    });
    expect(parsePolygonInput('55.7, 37.5\nfoo\n55.8, 37.7')).toEqual({
      ok: false,
      error: 'delivery.polygon.error.syntax',
    });
    expect(parsePolygonInput('   ')).toEqual({ ok: false, error: 'delivery.polygon.error.empty' });
  });

  it('reads our stored [[lat, lng], …] JSON', () => {
    expect(parsePolygonInput(JSON.stringify(square))).toEqual({ ok: true, polygon: square });
    expect(parsePolygonInput('[[0,0],[0,"1"],[1,1]]')).toMatchObject({ ok: false });
    expect(parsePolygonInput('[[0,0],')).toEqual({
      ok: false,
      error: 'delivery.polygon.error.syntax',
    });
  });

  it('reads GeoJSON polygons, swapping [lng, lat] to [lat, lng]', () => {
    const ring = [
      [37.5, 55.7],
      [37.7, 55.7],
      [37.7, 55.8],
      [37.5, 55.8],
      [37.5, 55.7],
    ];
    const expected = {
      ok: true,
      polygon: [
        [55.7, 37.5],
        [55.7, 37.7],
        [55.8, 37.7],
        [55.8, 37.5],
      ],
    };
    const geometry = { type: 'Polygon', coordinates: [ring] };
    expect(parsePolygonInput(JSON.stringify(geometry))).toEqual(expected);
    const feature = { type: 'Feature', properties: {}, geometry };
    expect(parsePolygonInput(JSON.stringify(feature))).toEqual(expected);
    expect(
      parsePolygonInput(JSON.stringify({ type: 'FeatureCollection', features: [feature] })),
    ).toEqual(expected);
  });

  it('rejects GeoJSON with holes, other geometries and several features', () => {
    const outer = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
      [0, 0],
    ];
    const hole = [
      [4, 4],
      [6, 4],
      [6, 6],
      [4, 6],
      [4, 4],
    ];
    expect(
      parsePolygonInput(JSON.stringify({ type: 'Polygon', coordinates: [outer, hole] })),
    ).toEqual({ ok: false, error: 'delivery.polygon.error.holes' });
    expect(parsePolygonInput('{"type":"Point","coordinates":[37.6,55.7]}')).toEqual({
      ok: false,
      error: 'delivery.polygon.error.notPolygon',
    });
    const f = { type: 'Feature', geometry: { type: 'Polygon', coordinates: [outer] } };
    expect(
      parsePolygonInput(JSON.stringify({ type: 'FeatureCollection', features: [f, f] })),
    ).toEqual({ ok: false, error: 'delivery.polygon.error.notPolygon' });
  });

  it('validates what it parsed', () => {
    expect(parsePolygonInput('0,0\n10,10\n10,0\n0,10')).toEqual({
      ok: false,
      error: 'delivery.polygon.error.selfIntersecting',
    });
  });
});

describe('stored polygons and zone choice (DL-3)', () => {
  it('reads jsonb back and formats it for editing', () => {
    expect(readStoredPolygon(square)).toEqual(square);
    expect(readStoredPolygon(JSON.stringify(square))).toEqual(square);
    expect(readStoredPolygon({ not: 'a polygon' })).toBeNull();
    expect(parsePolygonInput(formatPointList(concave))).toEqual({ ok: true, polygon: concave });
  });

  it('picks the active zone with the lowest fee, then the lowest id', () => {
    const zones = [
      { id: 3, polygon: square, fee: 20000, isActive: true },
      { id: 2, polygon: square, fee: 10000, isActive: true },
      { id: 1, polygon: square, fee: 10000, isActive: true },
      { id: 0, polygon: square, fee: 0, isActive: false },
    ];
    expect(pickDeliveryZone(zones, [5, 5])?.id).toBe(1);
    expect(pickDeliveryZone(zones, [50, 50])).toBeNull();
  });
});
