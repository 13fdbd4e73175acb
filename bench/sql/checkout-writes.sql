-- bench:checkout's ceiling: the rows and locks of one checkout (CK-3, CK-5, ON-3) written by
-- pgbench itself, with no application in between. The cart is the bench's commonest shape: a
-- pickup of two drinks, one with a sugar choice, paid online. Statements and round trips are those
-- of placeOrder: the idempotency claim in its own transaction, then the member lock, the order
-- with its lines and option under a placeholder number, and one final statement that takes the
-- number and writes the payment intent, the audit row and the stored response.
--
-- Variables (pgbench -D): store, cheap, dear, sugar (an option item of cheap), member_lo and
-- member_hi (the fixture's member ids), day (the store's local date, YYYY-MM-DD) and counter:
-- 1 takes the number from the shared order_number_counter row exactly as ON-3 says; 0 derives it
-- from the order id instead, which is the same work without the one row every checkout locks.
\set m random(:member_lo, :member_hi)
INSERT INTO idempotency_record (scope, principal, idempotency_key, request_hash, status,
                                locked_until, expires_at)
VALUES ('checkout', 'member:' || :m::int, gen_random_uuid()::text, repeat('0', 64), 'IN_PROGRESS',
        now() + interval '1 minute', now() + interval '1 day')
RETURNING id AS record \gset
BEGIN;
SELECT id, phone, display_name, is_active, available_points_balance
FROM member WHERE id = :m::int FOR UPDATE;
WITH o AS (
  INSERT INTO "order" (order_number, order_prefix, local_date, order_type, status, member_id,
                       store_id, customer_name, customer_phone, subtotal_amount, delivery_fee,
                       total_amount, discount_amount, final_amount, points_used, points_discount,
                       coupon_discount, points_earned, payment_method, payment_status,
                       payment_provider)
  SELECT 'P00000000' || (1e18 + floor(random() * 8e18))::bigint, 'P', :day::date, 'PICKUP',
         'PENDING', m.id, :store::int, m.display_name, m.phone, 600.00, 0.00, 600.00, 0.00, 600.00, 0,
         0.00, 0.00, 6, 'ONLINE', 'PENDING', 'YOOKASSA'
  FROM member m WHERE m.id = :m::int
  RETURNING id
), items AS (
  INSERT INTO order_item (order_id, product_id, line_no, sku, product_name_ru, product_name_zh,
                          unit_price, options_price, quantity, line_total, discount_amount,
                          is_special_price)
  SELECT o.id, l.product_id, l.line_no, 'SKU', 'Напиток', '饮料', l.price, 0.00, 1, l.price, 0.00,
         false
  FROM o, (VALUES (1, :cheap::int, 150.00), (2, :dear::int, 450.00)) AS l (line_no, product_id, price)
  RETURNING id, line_no
), options AS (
  INSERT INTO order_item_option (order_item_id, option_item_id, group_code, group_name_ru,
                                 item_code, item_name_ru, item_name_zh, price_delta)
  SELECT i.id, :sugar::int, 'SUGAR', 'Сахар', 'HALF', 'Половина', '半糖', 0.00
  FROM items i WHERE i.line_no = 1
)
SELECT id AS order_id FROM o \gset
WITH counter AS (
  INSERT INTO order_number_counter (prefix, local_date, last_value)
  SELECT 'P', :day::date, 1 WHERE :counter::int = 1
  ON CONFLICT (prefix, local_date)
  DO UPDATE SET last_value = order_number_counter.last_value + 1, updated_at = now()
  RETURNING last_value
), numbered AS (
  UPDATE "order" o
  SET order_number = 'P' || replace(:day::text, '-', '') || lpad(n.v::text, greatest(4, length(n.v::text)), '0')
  FROM (SELECT coalesce((SELECT last_value FROM counter), 1000000000 + :order_id::int) AS v) n
  WHERE o.id = :order_id::int
  RETURNING o.order_number
), audit AS (
  INSERT INTO audit_log (actor_type, actor_member_id, store_id, action, entity_type, entity_id,
                         after)
  SELECT 'MEMBER', :m::int, :store::int, 'order.create', 'order', :order_id::text,
         jsonb_build_object('status', 'PENDING', 'order_number', n.order_number,
                            'final_amount', '600.00')
  FROM numbered n
), payment AS (
  INSERT INTO payment_transaction (order_id, store_id, kind, provider, attempt_no,
                                   idempotence_key, status, amount)
  VALUES (:order_id::int, :store::int, 'PAYMENT', 'YOOKASSA', 1, 'ctea-' || :order_id::int || '-create-1',
          'PENDING', 600.00)
)
UPDATE idempotency_record r
SET status = 'COMPLETED', response_status = 201,
    response_body = jsonb_build_object('order', jsonb_build_object('id', :order_id::int,
                                       'order_number', n.order_number)),
    resource_type = 'order', resource_id = :order_id::text, updated_at = now()
FROM numbered n
WHERE r.id = :record::int AND r.status = 'IN_PROGRESS';
COMMIT;
