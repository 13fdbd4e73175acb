import type { Lang } from './languages';
import { account } from './messages/account';
import { alerts } from './messages/alerts';
import { audit } from './messages/audit';
import { auth } from './messages/auth';
import { availability } from './messages/availability';
import { campaigns } from './messages/campaigns';
import { cart } from './messages/cart';
import { checkout } from './messages/checkout';
import { common } from './messages/common';
import { couponIssue } from './messages/coupon-issue';
import { couponTemplates } from './messages/coupon-templates';
import { couponsEngine } from './messages/coupons-engine';
import { dashboards } from './messages/dashboards';
import { dataTable } from './messages/data-table';
import { faults } from './messages/faults';
import { iikoAdmin } from './messages/iiko-admin';
import { influencers } from './messages/influencers';
import { menu } from './messages/menu';
import { nav } from './messages/nav';
import { notifications } from './messages/notifications';
import { orderBoard } from './messages/order-board';
import { payments } from './messages/payments';
import { scans } from './messages/scans';
import { shell } from './messages/shell';
import { shop } from './messages/shop';
import { signin } from './messages/signin';
import { staff } from './messages/staff';
import { stores } from './messages/stores';

/**
 * Every namespace of UI messages. A feature adds `app/i18n/messages/<feature>.ts` (built with
 * `defineMessages`) and lists it here; keys are global, so prefix them with the feature.
 */
const namespaces = [
  common,
  nav,
  shell,
  auth,
  dataTable,
  availability,
  audit,
  menu,
  stores,
  staff,
  campaigns,
  influencers,
  scans,
  couponsEngine,
  couponIssue,
  couponTemplates,
  signin,
  account,
  notifications,
  payments,
  shop,
  cart,
  checkout,
  orderBoard,
  dashboards,
  iikoAdmin,
  alerts,
  faults,
] as const;

type Namespace = (typeof namespaces)[number];
export type MessageKey = Namespace extends infer N
  ? N extends { ru: infer R }
    ? keyof R & string
    : never
  : never;

export const catalog: Record<Lang, Record<string, string>> = {
  ru: Object.assign({}, ...namespaces.map((n) => n.ru)),
  zh: Object.assign({}, ...namespaces.map((n) => n.zh)),
  en: Object.assign({}, ...namespaces.map((n) => n.en)),
};
