import { sql } from 'kysely';
import type { Db } from '~db/database.server';

/**
 * Typed reads of `app_setting` (CF-8). Values are jsonb; a missing or malformed row falls back to
 * the documented default, so a bad manual edit cannot stop checkouts.
 */

export interface PointsSettings {
  /** points.earn_per_rub in hundredths ("1.00" → 100), so PT-7 stays in integers. */
  earnPerRubHundredths: number;
  /** points.redeem_points_per_rub: points worth one ruble (PT-5). */
  redeemPointsPerRub: number;
  signupBonus: number;
}

export const POINTS_DEFAULTS: PointsSettings = {
  earnPerRubHundredths: 100,
  redeemPointsPerRub: 100,
  signupBonus: 100,
};

/** The raw jsonb values of `keys` that exist, in one query; callers validate them. */
export async function getSettingValues(
  db: Db,
  keys: readonly string[],
): Promise<Map<string, unknown>> {
  const rows = await db
    .selectFrom('app_setting')
    .select(['key', 'value'])
    .where('key', 'in', [...keys])
    .execute();
  return new Map(rows.map((r) => [r.key, r.value as unknown]));
}

function nonNegativeInt(value: unknown, fallback: number): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : fallback;
}

/** "1.50" → 150; anything else → null. */
export function hundredths(value: unknown): number | null {
  const text = typeof value === 'number' ? value.toFixed(2) : value;
  if (typeof text !== 'string') return null;
  const m = /^(\d{1,6})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/** The app_setting keys of the points rules (PT-*). */
const POINTS_SETTING_KEYS = [
  'points.earn_per_rub',
  'points.redeem_points_per_rub',
  'points.signup_bonus',
] as const;

/**
 * The points rules as a column of another query (one jsonb object of the stored values), for a
 * caller that reads them in a round trip it makes anyway; pointsSettingsFromColumn reads it.
 */
export function pointsSettingsColumn() {
  return sql<Record<string, unknown> | null>`(
    SELECT jsonb_object_agg(a.key, a.value) FROM app_setting a
    WHERE a.key = any(${POINTS_SETTING_KEYS}::text[])
  )`;
}

export function pointsSettingsFromColumn(value: Record<string, unknown> | null): PointsSettings {
  return pointsSettingsFrom(new Map(Object.entries(value ?? {})));
}

/** The points rules from the stored values of POINTS_SETTING_KEYS; defaults for missing ones. */
function pointsSettingsFrom(values: ReadonlyMap<string, unknown>): PointsSettings {
  return {
    earnPerRubHundredths:
      hundredths(values.get('points.earn_per_rub')) ?? POINTS_DEFAULTS.earnPerRubHundredths,
    redeemPointsPerRub:
      nonNegativeInt(values.get('points.redeem_points_per_rub'), 0) ||
      POINTS_DEFAULTS.redeemPointsPerRub,
    signupBonus: nonNegativeInt(values.get('points.signup_bonus'), POINTS_DEFAULTS.signupBonus),
  };
}

export async function getPointsSettings(db: Db): Promise<PointsSettings> {
  return pointsSettingsFrom(await getSettingValues(db, POINTS_SETTING_KEYS));
}

export async function getIntSetting(db: Db, key: string, fallback: number): Promise<number> {
  const values = await getSettingValues(db, [key]);
  return nonNegativeInt(values.get(key), fallback);
}

/** Text settings (ids of the POS, …): trimmed, and null when missing, empty or not a string. */
export async function getStringSettings<K extends string>(
  db: Db,
  keys: readonly K[],
): Promise<Record<K, string | null>> {
  const values = await getSettingValues(db, keys);
  const out = {} as Record<K, string | null>;
  for (const key of keys) {
    const value = values.get(key);
    out[key] = typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  }
  return out;
}
