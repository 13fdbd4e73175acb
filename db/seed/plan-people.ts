import { DEMO_ADMIN, DEMO_MANAGER, DEMO_MEMBER_PHONE } from './demo-users';
import {
  ADDRESS_LABELS,
  CHINESE_NAMES,
  FEMALE_FIRST,
  LAST_INITIALS,
  MALE_FIRST,
  MALE_LAST,
} from './people-data';
import { offsetKm, pointInPolygon, type Catalog, type LatLng } from './plan-catalog';
import { Rng } from './random';
import { DAY, HOUR, MINUTE } from './time';

export type Lang = 'ru' | 'zh' | 'en';

export interface StaffPlan {
  key: string;
  email: string;
  password: string;
  displayName: string;
  role: 'ADMIN' | 'STORE_MANAGER';
  storeCodes: string[];
  language: Lang;
  createdAt: number;
  lastLoginAt: number | null;
}

/**
 * Staff beyond the two fixed demo accounts: a second admin and the managers of MSK-02 and MSK-03,
 * two of whom read Chinese. Their passwords are demo-only, like DEMO_USERS.
 */
export const EXTRA_STAFF = [
  {
    key: 'admin2',
    email: 'li.na@ctea.local',
    password: 'ctea-admin2-demo',
    displayName: 'Ли На (HQ)',
    role: 'ADMIN',
    storeCodes: [],
    language: 'zh',
  },
  {
    key: 'manager2',
    email: 'manager.msk02@ctea.local',
    password: 'ctea-manager2-demo',
    displayName: 'Ольга Кузнецова',
    role: 'STORE_MANAGER',
    storeCodes: ['MSK-02'],
    language: 'ru',
  },
  {
    key: 'manager3',
    email: 'manager.msk03@ctea.local',
    password: 'ctea-manager3-demo',
    displayName: 'Чжан Вэй',
    role: 'STORE_MANAGER',
    storeCodes: ['MSK-03'],
    language: 'zh',
  },
] as const;

export function buildStaff(now: number): StaffPlan[] {
  const created = now - 120 * DAY;
  return [
    {
      key: 'admin',
      email: DEMO_ADMIN.email,
      password: DEMO_ADMIN.password,
      displayName: DEMO_ADMIN.displayName,
      role: DEMO_ADMIN.role,
      storeCodes: [],
      language: 'ru',
      createdAt: created,
      lastLoginAt: now - 3 * HOUR,
    },
    {
      key: 'manager',
      email: DEMO_MANAGER.email,
      password: DEMO_MANAGER.password,
      displayName: DEMO_MANAGER.displayName,
      role: DEMO_MANAGER.role,
      storeCodes: [DEMO_MANAGER.storeCode],
      language: 'ru',
      createdAt: created + DAY,
      lastLoginAt: now - 5 * HOUR,
    },
    ...EXTRA_STAFF.map((s, i) => ({
      ...s,
      storeCodes: [...s.storeCodes],
      createdAt: created + (i + 2) * DAY,
      lastLoginAt: now - (20 + i * 7) * HOUR,
    })),
  ];
}

export interface AddressPlan {
  idx: number;
  memberIdx: number;
  storeIdx: number;
  label: string;
  line: string;
  apartment: string | null;
  entrance: string | null;
  floor: string | null;
  intercom: string | null;
  point: LatLng;
  isDefault: boolean;
  createdAt: number;
}

export interface TelegramPlan {
  telegramId: number;
  username: string | null;
  firstName: string;
  languageCode: string;
  linkedAt: number | null;
  isBlocked: boolean;
  createdAt: number;
}

export interface MemberPlan {
  idx: number;
  phone: string;
  displayName: string;
  createdAt: number;
  birthday: string | null;
  homeStore: number;
  /** Relative ordering frequency (heavy-tailed: a few regulars order most days). */
  weight: number;
  addresses: AddressPlan[];
  telegram: TelegramPlan | null;
  language: Lang | null;
  isActive: boolean;
  lastLoginAt: number | null;
  // simulation state (PT-2, PT-9)
  balance: number;
  totalEarned: number;
  groupIdx: number;
  lastActivityAt: number;
}

export const MEMBER_COUNT = 300;
/** The phone the end-to-end sign-in scenario registers as a new member (F1); never seeded. */
const E2E_PHONE = '+79001234567';

export function buildMembers(
  now: number,
  catalog: Catalog,
): { members: MemberPlan[]; addresses: AddressPlan[] } {
  const rng = new Rng('members');
  const phones = new Set<string>();
  const members: MemberPlan[] = [];
  const addresses: AddressPlan[] = [];
  const storeWeights = [0.45, 0.33, 0.22];

  for (let idx = 0; idx < MEMBER_COUNT; idx++) {
    let phone = '';
    do {
      phone = `+79${String(rng.int(0, 99)).padStart(2, '0')}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
    } while (phones.has(phone) || phone === E2E_PHONE || phone === DEMO_MEMBER_PHONE);
    // the draw above still happens for the first member, so every later member stays the same
    if (idx === 0) phone = DEMO_MEMBER_PHONE;
    phones.add(phone);

    // 70 % joined before the order history starts, the rest during it (growth).
    const createdAt = rng.chance(0.7)
      ? now - rng.int(62, 240) * DAY - rng.int(0, DAY / MINUTE) * MINUTE
      : now - rng.int(1, 58) * DAY - rng.int(0, DAY / MINUTE) * MINUTE;

    const kind = rng.table([
      ['guest', 35],
      ['male', 28],
      ['female', 32],
      ['chinese', 5],
    ] as const);
    let displayName: string;
    if (kind === 'guest') displayName = `Гость ${phone.slice(-4)}`;
    else if (kind === 'chinese') displayName = rng.pick(CHINESE_NAMES);
    else if (kind === 'male') {
      displayName = rng.chance(0.5)
        ? `${rng.pick(MALE_FIRST)} ${rng.pick(LAST_INITIALS)}.`
        : `${rng.pick(MALE_FIRST)} ${rng.pick(MALE_LAST)}`;
    } else {
      displayName = rng.chance(0.5)
        ? `${rng.pick(FEMALE_FIRST)} ${rng.pick(LAST_INITIALS)}.`
        : `${rng.pick(FEMALE_FIRST)} ${rng.pick(MALE_LAST)}а`;
    }

    const regular = idx % 37 === 5;
    const weight = regular ? rng.logNormal(9, 0.3) : rng.logNormal(1, 0.9);
    const homeStore = rng.weighted([0, 1, 2], (i) => storeWeights[i] as number);
    const member: MemberPlan = {
      idx,
      phone,
      displayName,
      createdAt,
      birthday: rng.chance(0.4)
        ? `${rng.int(1975, 2006)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`
        : null,
      homeStore,
      weight,
      addresses: [],
      telegram: null,
      language: kind === 'chinese' ? 'zh' : null,
      isActive: idx % 97 !== 13,
      lastLoginAt: null,
      balance: 0,
      totalEarned: 0,
      groupIdx: 0,
      lastActivityAt: createdAt,
    };

    const addressCount = rng.table([
      [0, 40],
      [1, 45],
      [2, 15],
    ] as const);
    const labels = rng.sample(ADDRESS_LABELS, addressCount);
    for (let a = 0; a < addressCount; a++) {
      const store = catalog.stores[homeStore]!;
      const [inner, outer] = [store.zones[0]!, store.zones[1]!];
      // Most addresses fall in the inner zone; none outside the outer one (DL-3 would refuse them).
      let point: LatLng;
      do {
        const far = rng.chance(0.35);
        const r = far
          ? inner.seed.radiusKm * 1.02 +
            rng.float() * (outer.seed.radiusKm * 0.88 - inner.seed.radiusKm * 1.02)
          : Math.sqrt(rng.float()) * inner.seed.radiusKm * 0.88;
        const angle = rng.float() * 2 * Math.PI;
        point = offsetKm(store.seed.lat, store.seed.lng, r * Math.cos(angle), r * Math.sin(angle));
      } while (!pointInPolygon(point, outer.polygon));
      const address: AddressPlan = {
        idx: addresses.length,
        memberIdx: idx,
        storeIdx: homeStore,
        label: labels[a] as string,
        line: `${rng.pick(store.seed.streets)}, ${rng.int(1, 48)}${rng.chance(0.2) ? `к${rng.int(1, 3)}` : ''}`,
        apartment: labels[a] === 'Работа' ? null : String(rng.int(1, 240)),
        entrance: rng.chance(0.7) ? String(rng.int(1, 8)) : null,
        floor: rng.chance(0.8) ? String(rng.int(1, 16)) : null,
        intercom: rng.chance(0.4) ? String(rng.int(1, 240)) : null,
        point,
        isDefault: a === 0,
        createdAt:
          createdAt + rng.int(1, 20) * DAY > now
            ? createdAt + MINUTE
            : createdAt + rng.int(1, 20) * DAY,
      };
      addresses.push(address);
      member.addresses.push(address);
    }

    if (rng.chance(0.15)) {
      const linked = rng.chance(0.85);
      member.telegram = {
        telegramId: rng.int(150_000_000, 7_900_000_000),
        username: rng.chance(0.7) ? `user${rng.hex(6)}` : null,
        firstName: displayName.startsWith('Гость')
          ? 'Аноним'
          : (displayName.split(' ')[0] as string),
        languageCode: kind === 'chinese' ? 'zh-hans' : 'ru',
        linkedAt: linked ? Math.min(createdAt + rng.int(1, 30) * DAY, now - HOUR) : null,
        isBlocked: linked && rng.chance(0.06),
        createdAt: Math.min(createdAt + rng.int(0, 25) * DAY, now - 2 * HOUR),
      };
      if (
        member.telegram.linkedAt !== null &&
        member.telegram.linkedAt < member.telegram.createdAt
      ) {
        member.telegram.linkedAt = member.telegram.createdAt + 5 * MINUTE;
      }
    }
    members.push(member);
  }
  return { members, addresses };
}
