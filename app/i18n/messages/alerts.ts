import { defineMessages } from '../define';

/** Alerts (DA-3): the admin header indicator and the ALERT Telegram message (NT-3). */
export const alerts = defineMessages({
  ru: {
    'alerts.header.label': 'Активные оповещения',
    'alerts.rule.payment_failure_rate': 'Доля неудачных оплат',
    'alerts.rule.iiko_sync_failures': 'Ошибки синхронизации iiko',
    'alerts.rule.api_latency': 'Задержка API (p95)',
    'alerts.rule.api_error_rate': 'Доля ошибок API (5xx)',
    'alerts.rule.db_pool_saturation': 'Пул соединений БД заполнен',
    'alerts.notify.fire': '🚨 {severity} {rule}: {value} (порог {threshold})',
  },
  zh: {
    'alerts.header.label': '当前告警',
    'alerts.rule.payment_failure_rate': '支付失败率',
    'alerts.rule.iiko_sync_failures': 'iiko 同步失败',
    'alerts.rule.api_latency': 'API 延迟 (p95)',
    'alerts.rule.api_error_rate': 'API 错误率 (5xx)',
    'alerts.rule.db_pool_saturation': '数据库连接池饱和',
    'alerts.notify.fire': '🚨 {severity} {rule}：{value}（阈值 {threshold}）',
  },
  en: {
    'alerts.header.label': 'Firing alerts',
    'alerts.rule.payment_failure_rate': 'Payment failure rate',
    'alerts.rule.iiko_sync_failures': 'iiko sync failures',
    'alerts.rule.api_latency': 'API latency (p95)',
    'alerts.rule.api_error_rate': 'API error rate (5xx)',
    'alerts.rule.db_pool_saturation': 'Database pool saturation',
    'alerts.notify.fire': '🚨 {severity} {rule}: {value} (threshold {threshold})',
  },
});
