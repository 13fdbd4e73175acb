/**
 * The staff capability matrix of domain.md RB-1, as code. Isomorphic (no server imports): the UI
 * uses it to hide what a role cannot open (RB-3), the server guards use it as the authority.
 *
 * A permission granted with scope OWN_STORES only says the role may use the capability at all; the
 * store itself is checked by `requireStoreAccess` and by the data layer (RB-2).
 */

export const STAFF_ROLES = ['ADMIN', 'STORE_MANAGER'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

export const PERMISSION_NAMES = [
  // Stores, staff accounts, store_staff, device keys
  'stores.read',
  'stores.write',
  // Categories, products, options, prices, store listings, zones
  'catalog.read',
  'catalog.write',
  // store_product.stock_status
  'availability.read',
  'availability.write',
  'orders.read',
  'orders.status',
  'orders.refund',
  'coupons.read',
  'coupons.write',
  // Campaigns, influencers, codes, commission reports
  'campaigns.read',
  'campaigns.write',
  'scans.read',
  'scans.match',
  'members.read',
  'members.write',
  'points.adjust',
  'dashboards.read',
  'alerts.manage',
  'iiko.manage',
  'settings.manage',
  'translations.manage',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSION_NAMES)[number];

export type PermissionScope = 'ALL' | 'OWN_STORES';

type Matrix = Record<StaffRole, Partial<Record<Permission, PermissionScope>>>;

const ALL_PERMISSIONS = Object.fromEntries(PERMISSION_NAMES.map((p) => [p, 'ALL'])) as Record<
  Permission,
  PermissionScope
>;

const MATRIX: Matrix = {
  ADMIN: ALL_PERMISSIONS,
  STORE_MANAGER: {
    'stores.read': 'OWN_STORES',
    'catalog.read': 'OWN_STORES',
    'availability.read': 'OWN_STORES',
    'availability.write': 'OWN_STORES',
    'orders.read': 'OWN_STORES',
    'orders.status': 'OWN_STORES',
    'scans.read': 'OWN_STORES',
    'scans.match': 'OWN_STORES',
    'audit.read': 'OWN_STORES',
  },
};

/** Every permission each role holds, in PERMISSION_NAMES order. */
export const PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  ADMIN: PERMISSION_NAMES.filter((p) => MATRIX.ADMIN[p]),
  STORE_MANAGER: PERMISSION_NAMES.filter((p) => MATRIX.STORE_MANAGER[p]),
};

export function can(role: StaffRole, permission: Permission): boolean {
  return MATRIX[role]?.[permission] !== undefined;
}

/** How far a granted permission reaches; null when the role does not hold it. */
export function permissionScope(role: StaffRole, permission: Permission): PermissionScope | null {
  return MATRIX[role]?.[permission] ?? null;
}

/**
 * Where a signed-in staff member lands: ADMIN → /admin; STORE_MANAGER → their first store (or
 * /manage, which explains that no store is linked yet).
 */
export function homePathFor(user: { role: StaffRole; storeIds: readonly number[] }): string {
  if (user.role === 'ADMIN') return '/admin';
  const first = user.storeIds[0];
  return first === undefined ? '/manage' : `/manage/${first}`;
}
