import { describe, expect, it } from 'vitest';
import { distanceMeters } from './geo';

describe('distanceMeters', () => {
  it('is zero for the same point and symmetric', () => {
    const kremlin = { lat: 55.752, lng: 37.6175 };
    const vdnh = { lat: 55.8263, lng: 37.6377 };
    expect(distanceMeters(kremlin, kremlin)).toBe(0);
    expect(distanceMeters(kremlin, vdnh)).toBeCloseTo(distanceMeters(vdnh, kremlin), 6);
  });

  it('matches known distances within a few metres', () => {
    // one degree of latitude is about 111.2 km
    expect(distanceMeters({ lat: 55, lng: 37 }, { lat: 56, lng: 37 })).toBeGreaterThan(111_000);
    expect(distanceMeters({ lat: 55, lng: 37 }, { lat: 56, lng: 37 })).toBeLessThan(111_400);
    // Kremlin → VDNKh, about 8.3 km
    const d = distanceMeters({ lat: 55.752, lng: 37.6175 }, { lat: 55.8263, lng: 37.6377 });
    expect(d).toBeGreaterThan(8_200);
    expect(d).toBeLessThan(8_400);
  });
});
