import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { isLang, type Lang } from '~/i18n/languages';
import { translate } from '~/i18n/translate';
import { formatRub, fromDecimal } from '~/utils/money';

/**
 * Outbox rows for order events (NT-1 … NT-4). They are inserted in the transaction of the status
 * change; `dedupe_key` makes every message idempotent, so a replayed transition writes nothing.
 * Delivery (the Telegram dispatcher) reads the table; nothing here touches the network.
 */

const MAX_TEXT = 4096;

/** NT-4: escape the three characters Telegram's HTML parse mode cares about. */
export function escapeTelegramHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…`;
}

async function insertNotification(
  db: Db,
  row: {
    recipientType: 'STORE_CHAT' | 'MEMBER';
    chatId: string | number;
    memberId?: number | null;
    storeId?: number | null;
    orderId: number;
    type: 'NEW_ORDER' | 'ORDER_STATUS' | 'ORDER_VOIDED';
    dedupeKey: string;
    text: string;
  },
): Promise<void> {
  await db
    .insertInto('notification')
    .values({
      recipient_type: row.recipientType,
      chat_id: String(row.chatId),
      member_id: row.memberId ?? null,
      store_id: row.storeId ?? null,
      order_id: row.orderId,
      type: row.type,
      dedupe_key: row.dedupeKey,
      text: cut(row.text),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/** NT-3: NEW_ORDER to the store's chat, in Russian and Chinese, when the store has a chat. */
export async function enqueueNewOrderNotification(db: Db, orderId: number): Promise<void> {
  const order = await db
    .selectFrom('order as o')
    .innerJoin('store as s', 's.id', 'o.store_id')
    .select([
      'o.id',
      'o.order_number',
      'o.order_type',
      'o.final_amount',
      'o.customer_name',
      'o.delivery_address',
      'o.store_id',
      's.telegram_chat_id',
    ])
    .where('o.id', '=', orderId)
    .executeTakeFirst();
  if (!order || order.telegram_chat_id === null) return;

  const items = await db
    .selectFrom('order_item as i')
    .select([
      'i.id',
      'i.line_no',
      'i.product_name_ru',
      'i.product_name_zh',
      'i.quantity',
      sql<string | null>`(
        select string_agg(oo.item_name_ru, ', ' order by oo.id) from order_item_option oo
        where oo.order_item_id = i.id
      )`.as('options_ru'),
      sql<string | null>`(
        select string_agg(coalesce(oo.item_name_zh, oo.item_name_ru), ', ' order by oo.id)
        from order_item_option oo where oo.order_item_id = i.id
      )`.as('options_zh'),
    ])
    .where('i.order_id', '=', orderId)
    .orderBy('i.line_no')
    .execute();

  const e = escapeTelegramHtml;
  const block = (lang: Lang) => {
    const lines = [
      `<b>${e(translate(lang, 'notify.newOrder.title', { number: order.order_number }))}</b>`,
      order.order_type === 'PICKUP'
        ? e(translate(lang, 'notify.newOrder.pickup'))
        : e(translate(lang, 'notify.newOrder.delivery', { address: order.delivery_address ?? '' })),
    ];
    for (const item of items) {
      const name =
        lang === 'zh' ? (item.product_name_zh ?? item.product_name_ru) : item.product_name_ru;
      const options = lang === 'zh' ? item.options_zh : item.options_ru;
      lines.push(`${item.quantity} × ${e(name)}${options ? ` (${e(options)})` : ''}`);
    }
    lines.push(
      e(
        translate(lang, 'notify.newOrder.total', {
          amount: formatRub(fromDecimal(order.final_amount), lang),
        }),
      ),
    );
    if (order.customer_name)
      lines.push(e(translate(lang, 'notify.newOrder.customer', { name: order.customer_name })));
    return lines.join('\n');
  };

  await insertNotification(db, {
    recipientType: 'STORE_CHAT',
    chatId: order.telegram_chat_id,
    storeId: order.store_id,
    orderId,
    type: 'NEW_ORDER',
    dedupeKey: `new_order:${orderId}`,
    text: `${block('ru')}\n\n${block('zh')}`,
  });
}

/**
 * NT-3: ORDER_STATUS / ORDER_VOIDED to the member, only with a linked, unblocked Telegram account
 * and notify_order_status on, in the member's language.
 */
export async function enqueueMemberOrderNotification(
  db: Db,
  orderId: number,
  status: string,
): Promise<void> {
  const row = await db
    .selectFrom('order as o')
    .innerJoin('telegram_user as tu', 'tu.member_id', 'o.member_id')
    .leftJoin('user_preference as up', 'up.member_id', 'o.member_id')
    .select([
      'o.member_id',
      'o.order_number',
      'tu.chat_id',
      'up.language',
      'up.notify_order_status',
    ])
    .where('o.id', '=', orderId)
    .where('tu.is_blocked', '=', false)
    .executeTakeFirst();
  if (!row || row.notify_order_status === false) return;
  const lang: Lang = isLang(row.language) ? row.language : 'ru';
  const voided = status === 'VOIDED';
  const text = voided
    ? translate(lang, 'notify.orderVoided', { number: row.order_number })
    : translate(lang, 'notify.orderStatus', {
        number: row.order_number,
        status: translate(lang, `notify.status.${status}`),
      });
  await insertNotification(db, {
    recipientType: 'MEMBER',
    chatId: row.chat_id,
    memberId: row.member_id,
    orderId,
    type: voided ? 'ORDER_VOIDED' : 'ORDER_STATUS',
    dedupeKey: voided ? `order_voided:${orderId}` : `order_status:${orderId}:${status}`,
    text: escapeTelegramHtml(text),
  });
}
