import { describe, expect, it } from 'vitest';
import {
  PERMISSIONS,
  PERMISSION_NAMES,
  can,
  homePathFor,
  isStaffRole,
  permissionScope,
  type Permission,
} from './permissions';

describe('RB-1 capability matrix', () => {
  it('gives ADMIN every capability, chain-wide', () => {
    for (const permission of PERMISSION_NAMES) {
      expect(can('ADMIN', permission)).toBe(true);
      expect(permissionScope('ADMIN', permission)).toBe('ALL');
    }
    expect(PERMISSIONS.ADMIN).toEqual(PERMISSION_NAMES);
  });

  it('gives STORE_MANAGER exactly the store-level capabilities, scoped to own stores', () => {
    const expected: Permission[] = [
      'stores.read',
      'catalog.read',
      'availability.read',
      'availability.write',
      'orders.read',
      'orders.status',
      'scans.read',
      'scans.match',
      'audit.read',
    ];
    expect([...PERMISSIONS.STORE_MANAGER].sort()).toEqual([...expected].sort());
    for (const permission of expected)
      expect(permissionScope('STORE_MANAGER', permission)).toBe('OWN_STORES');
  });

  it.each<Permission>([
    'stores.write',
    'catalog.write',
    'orders.refund',
    'coupons.read',
    'coupons.write',
    'campaigns.read',
    'campaigns.write',
    'members.read',
    'members.write',
    'points.adjust',
    'dashboards.read',
    'alerts.manage',
    'iiko.manage',
    'settings.manage',
    'translations.manage',
  ])('refuses %s to STORE_MANAGER', (permission) => {
    expect(can('STORE_MANAGER', permission)).toBe(false);
    expect(permissionScope('STORE_MANAGER', permission)).toBeNull();
  });

  it('refuses unknown roles (a forged role string never passes)', () => {
    expect(can('MEMBER' as never, 'orders.read')).toBe(false);
    expect(isStaffRole('MEMBER')).toBe(false);
    expect(isStaffRole('ADMIN')).toBe(true);
  });
});

describe('homePathFor', () => {
  it('sends ADMIN to /admin whatever stores are listed', () => {
    expect(homePathFor({ role: 'ADMIN', storeIds: [] })).toBe('/admin');
    expect(homePathFor({ role: 'ADMIN', storeIds: [4] })).toBe('/admin');
  });

  it('sends a STORE_MANAGER to their first store, or /manage without one', () => {
    expect(homePathFor({ role: 'STORE_MANAGER', storeIds: [7, 3] })).toBe('/manage/7');
    expect(homePathFor({ role: 'STORE_MANAGER', storeIds: [] })).toBe('/manage');
  });
});
