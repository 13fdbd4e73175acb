/**
 * Every vocabulary of domain §4 (C-6), the single TypeScript source of these lists. The database
 * guards the same values with CHECK constraints named `<table>_<column>_check`; the schema tests
 * (tests/integration/schema/vocabularies.test.ts) fail when a list and its CHECK drift apart.
 *
 * Spelling is deliberate: orders and jobs use CANCELLED, payments use CANCELED (as YooKassa does).
 */

/** Narrows an unknown value to a member of a vocabulary. */
export function isOneOf<const T extends readonly string[]>(
  values: T,
  value: unknown,
): value is T[number] {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

// --- Orders -------------------------------------------------------------------------------------

/** `order.status` (OR-1). */
export const ORDER_STATUSES = [
  'PENDING',
  'CONFIRMED',
  'PREPARING',
  'READY',
  'DELIVERING',
  'COMPLETED',
  'CANCELLED',
  'VOIDED',
  'REFUNDED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Terminal order statuses (OR-1). */
export const TERMINAL_ORDER_STATUSES = [
  'CANCELLED',
  'VOIDED',
  'REFUNDED',
] as const satisfies readonly OrderStatus[];

/** `order.payment_status` (PY-2). */
export const ORDER_PAYMENT_STATUSES = [
  'PENDING',
  'WAITING_FOR_CAPTURE',
  'SUCCEEDED',
  'CANCELED',
  'FAILED',
  'REFUNDED',
  'NOT_REQUIRED',
] as const;
export type OrderPaymentStatus = (typeof ORDER_PAYMENT_STATUSES)[number];

/** `order.order_type`, also `user_preference.default_order_type`. */
export const ORDER_TYPES = ['DELIVERY', 'PICKUP'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/** `order.order_prefix`, also `order_number_counter.prefix`: P web, T Telegram, K kiosk, M mall. */
export const ORDER_PREFIXES = ['P', 'T', 'K', 'M'] as const;
export type OrderPrefix = (typeof ORDER_PREFIXES)[number];

/** `order.payment_method`. */
export const PAYMENT_METHODS = ['ONLINE', 'POINTS', 'NONE'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** `order.iiko_sync_status`. */
export const ORDER_IIKO_SYNC_STATUSES = ['PENDING', 'SYNCED', 'FAILED', 'SKIPPED'] as const;
export type OrderIikoSyncStatus = (typeof ORDER_IIKO_SYNC_STATUSES)[number];

// --- Payments -----------------------------------------------------------------------------------

/** `payment_transaction.kind`. */
export const PAYMENT_TRANSACTION_KINDS = ['PAYMENT', 'REFUND'] as const;
export type PaymentTransactionKind = (typeof PAYMENT_TRANSACTION_KINDS)[number];

/** `payment_transaction.provider`, also `order.payment_provider`. */
export const PAYMENT_PROVIDERS = ['YOOKASSA'] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];

/** `payment_transaction.status` (both kinds). */
export const PAYMENT_TRANSACTION_STATUSES = [
  'PENDING',
  'WAITING_FOR_CAPTURE',
  'SUCCEEDED',
  'CANCELED',
  'FAILED',
] as const;
export type PaymentTransactionStatus = (typeof PAYMENT_TRANSACTION_STATUSES)[number];

/** `payment_transaction.status` of REFUND rows (no WAITING_FOR_CAPTURE). */
export const REFUND_TRANSACTION_STATUSES = [
  'PENDING',
  'SUCCEEDED',
  'CANCELED',
  'FAILED',
] as const satisfies readonly PaymentTransactionStatus[];
export type RefundTransactionStatus = (typeof REFUND_TRANSACTION_STATUSES)[number];

/** Payment attempt statuses that block a new attempt (`idx_payment_transaction_live_unique`). */
export const LIVE_PAYMENT_TRANSACTION_STATUSES = [
  'PENDING',
  'WAITING_FOR_CAPTURE',
  'SUCCEEDED',
] as const satisfies readonly PaymentTransactionStatus[];

/** `idempotency_record.status`. */
export const IDEMPOTENCY_STATUSES = ['IN_PROGRESS', 'COMPLETED'] as const;
export type IdempotencyStatus = (typeof IDEMPOTENCY_STATUSES)[number];

/** `idempotency_record.scope` (CK-5; lowercase, not a CHECK-guarded column). */
export const IDEMPOTENCY_SCOPES = ['checkout', 'payment_retry', 'points_adjust'] as const;
export type IdempotencyScope = (typeof IDEMPOTENCY_SCOPES)[number];

// --- Coupons ------------------------------------------------------------------------------------

/** `coupon_template.type`. */
export const COUPON_TYPES = [
  'SIMPLE_PERCENTAGE',
  'SIMPLE_FIXED',
  'BOGO',
  'THRESHOLD_OFF',
  'BUY_N_GET_M',
] as const;
export type CouponType = (typeof COUPON_TYPES)[number];

/** `coupon_template.scope_type`. */
export const COUPON_SCOPE_TYPES = ['ALL', 'CATEGORIES', 'PRODUCTS'] as const;
export type CouponScopeType = (typeof COUPON_SCOPE_TYPES)[number];

/** `coupon_instance.status`, also `coupon_audit_log.from_status` / `to_status`. */
export const COUPON_INSTANCE_STATUSES = ['UNUSED', 'USED', 'EXPIRED', 'FROZEN', 'REVOKED'] as const;
export type CouponInstanceStatus = (typeof COUPON_INSTANCE_STATUSES)[number];

/** `coupon_instance.source_type`. */
export const COUPON_SOURCE_TYPES = ['ADMIN', 'SIGNUP', 'CAMPAIGN', 'COMPENSATION'] as const;
export type CouponSourceType = (typeof COUPON_SOURCE_TYPES)[number];

/** `coupon_audit_log.action` (CP-14). */
export const COUPON_AUDIT_ACTIONS = [
  'CREATED',
  'USED',
  'RESTORED',
  'EXPIRED',
  'FROZEN',
  'UNFROZEN',
  'REVOKED',
  'EXTENDED',
] as const;
export type CouponAuditAction = (typeof COUPON_AUDIT_ACTIONS)[number];

/** `coupon_audit_log.actor_type`. */
export const COUPON_AUDIT_ACTOR_TYPES = ['SYSTEM', 'ADMIN', 'MEMBER'] as const;
export type CouponAuditActorType = (typeof COUPON_AUDIT_ACTOR_TYPES)[number];

// --- Points and members -------------------------------------------------------------------------

/** `member_points_history.reason` (PT-4). */
export const POINTS_REASONS = [
  'SIGNUP_BONUS',
  'ORDER_REDEEM',
  'ORDER_EARN',
  'REFUND',
  'ADMIN_ADJUST',
] as const;
export type PointsReason = (typeof POINTS_REASONS)[number];

/** Reasons whose ledger rows must name an order (`member_points_history_order_reason`). */
export const ORDER_POINTS_REASONS = [
  'ORDER_REDEEM',
  'ORDER_EARN',
  'REFUND',
] as const satisfies readonly PointsReason[];

/** `member_group.code` of the rows seeded by the migrations (PT-9). */
export const MEMBER_GROUP_CODES = ['BRONZE', 'SILVER', 'GOLD', 'PLATINUM'] as const;
export type MemberGroupCode = (typeof MEMBER_GROUP_CODES)[number];

// --- Influencers and scans ----------------------------------------------------------------------

/** `campaign.type`. */
export const CAMPAIGN_TYPES = ['INFLUENCER', 'PROMOTION', 'SEASONAL', 'PARTNERSHIP'] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];

/** `campaign.status` (ACTIVE: scans accepted). */
export const CAMPAIGN_STATUSES = ['DRAFT', 'ACTIVE', 'PAUSED', 'ENDED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** `influencer.status`. */
export const INFLUENCER_STATUSES = ['ACTIVE', 'INACTIVE', 'SUSPENDED'] as const;
export type InfluencerStatus = (typeof INFLUENCER_STATUSES)[number];

/** `offline_scan_log.scan_type` (devices send POS, CASHIER_APP, QR; ADMIN is the back office). */
export const SCAN_TYPES = ['POS', 'CASHIER_APP', 'ADMIN', 'QR'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];

/** Scan types a store device may send (OS-2). */
export const DEVICE_SCAN_TYPES = [
  'POS',
  'CASHIER_APP',
  'QR',
] as const satisfies readonly ScanType[];

/** `offline_scan_log.match_method`. */
export const MATCH_METHODS = ['AUTO', 'MANUAL'] as const;
export type MatchMethod = (typeof MATCH_METHODS)[number];

/** Scan ingestion result per event (OS-2; lowercase API values, not stored). */
export const SCAN_RESULTS = ['accepted', 'duplicate', 'rejected'] as const;
export type ScanResult = (typeof SCAN_RESULTS)[number];

// --- iiko ---------------------------------------------------------------------------------------

/** `iiko_sync_job.job_type`. */
export const IIKO_JOB_TYPES = ['MENU_IMPORT', 'ORDER_PUSH', 'STOP_LIST'] as const;
export type IikoJobType = (typeof IIKO_JOB_TYPES)[number];

/** `iiko_sync_job.status`. */
export const IIKO_JOB_STATUSES = [
  'PENDING',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
] as const;
export type IikoJobStatus = (typeof IIKO_JOB_STATUSES)[number];

// --- Catalog ------------------------------------------------------------------------------------

/** `option_group.group_type`: TEMPERATURE, ICE, SUGAR are required/single; TOPPING optional/multi. */
export const OPTION_GROUP_TYPES = ['TEMPERATURE', 'ICE', 'SUGAR', 'TOPPING'] as const;
export type OptionGroupType = (typeof OPTION_GROUP_TYPES)[number];

/** Group types that take exactly one item (PR-4 d). */
export const REQUIRED_OPTION_GROUP_TYPES = [
  'TEMPERATURE',
  'ICE',
  'SUGAR',
] as const satisfies readonly OptionGroupType[];

/** `option_group.selection_type`. */
export const SELECTION_TYPES = ['SINGLE', 'MULTI'] as const;
export type SelectionType = (typeof SELECTION_TYPES)[number];

/** `store_product.stock_status`. */
export const STOCK_STATUSES = ['IN_STOCK', 'LOW_STOCK', 'OUT_OF_STOCK'] as const;
export type StockStatus = (typeof STOCK_STATUSES)[number];

/** `store_product.stock_status_source` (IK-11). */
export const STOCK_STATUS_SOURCES = ['MANUAL', 'IIKO'] as const;
export type StockStatusSource = (typeof STOCK_STATUS_SOURCES)[number];

// --- Notifications ------------------------------------------------------------------------------

/** `notification.channel`. */
export const NOTIFICATION_CHANNELS = ['TELEGRAM'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** `notification.recipient_type`. */
export const NOTIFICATION_RECIPIENT_TYPES = ['STORE_CHAT', 'MEMBER', 'ADMIN_CHAT'] as const;
export type NotificationRecipientType = (typeof NOTIFICATION_RECIPIENT_TYPES)[number];

/** `notification.type`. */
export const NOTIFICATION_TYPES = ['NEW_ORDER', 'ORDER_STATUS', 'ORDER_VOIDED', 'ALERT'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** `notification.status`. */
export const NOTIFICATION_STATUSES = ['PENDING', 'SENDING', 'SENT', 'FAILED'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

// --- Access -------------------------------------------------------------------------------------

/** `users.role`. */
export const USER_ROLES = ['ADMIN', 'STORE_MANAGER'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** `session.principal_type`. */
export const PRINCIPAL_TYPES = ['USER', 'MEMBER'] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/** `audit_log.actor_type`. */
export const AUDIT_ACTOR_TYPES = ['USER', 'MEMBER', 'SYSTEM', 'STORE_DEVICE'] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

/** `verification_code.status`. */
export const VERIFICATION_CODE_STATUSES = [
  'ACTIVE',
  'CONSUMED',
  'SUPERSEDED',
  'EXPIRED',
  'LOCKED',
] as const;
export type VerificationCodeStatus = (typeof VERIFICATION_CODE_STATUSES)[number];

/** `user_preference.language` (lowercase by design), also the UI languages (C-7). */
export const LANGUAGES = ['ru', 'zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

// --- Operations ---------------------------------------------------------------------------------

/** Alert severity (DA-3): P0 act now, P1 within 30 min, P2 business hours. */
export const ALERT_SEVERITIES = ['P0', 'P1', 'P2'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
