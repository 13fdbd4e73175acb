/**
 * Demo staff accounts created by the seed and printed by `npm start`. They exist only in demo
 * databases (the seed refuses to run with NODE_ENV=production).
 */
export const DEMO_ADMIN = {
  email: 'admin@ctea.local',
  password: 'ctea-admin-demo',
  displayName: 'Анна Петрова (HQ)',
  role: 'ADMIN',
} as const;

export const DEMO_MANAGER = {
  email: 'manager.msk01@ctea.local',
  password: 'ctea-manager-demo',
  displayName: 'Иван Смирнов',
  role: 'STORE_MANAGER',
  storeCode: 'MSK-01',
} as const;

export const DEMO_USERS = [DEMO_ADMIN, DEMO_MANAGER] as const;

/**
 * The first seeded member (a demo customer) has this fixed phone, so demos and end-to-end tests
 * can address a known member; the rest of the members are drawn by the seed's PRNG.
 */
export const DEMO_MEMBER_PHONE = '+79160000001';
