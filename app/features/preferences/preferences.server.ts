import { sql } from 'kysely';
import { isLang, type Lang } from '~/i18n/languages';
import type { Db } from '~db/database.server';

/** The staff user's saved UI language, or null when they never chose one. */
export async function getUserLanguage(db: Db, userId: number): Promise<Lang | null> {
  const row = await db
    .selectFrom('user_preference')
    .select('language')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && isLang(row.language) ? row.language : null;
}

/** Saves the staff user's UI language; one row per user (`user_preference.user_id` is unique). */
export async function setUserLanguage(
  db: Db,
  { userId, lang }: { userId: number; lang: Lang },
): Promise<void> {
  await db
    .insertInto('user_preference')
    .values({ user_id: userId, language: lang })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ language: lang, updated_at: sql<Date>`now()` }),
    )
    .execute();
}
