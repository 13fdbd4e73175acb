import type { MessageKey } from '~/i18n/translate';
import type { IconName } from './icons';

/**
 * What each back-office sidebar shows. Plain data (no JSX) so e2e specs can import it too.
 * RB-3: the admin list is only rendered under /admin (ADMIN only); the manager list holds only what
 * a STORE_MANAGER may open for their own store.
 */

export const ADMIN_AREAS = [
  'dashboards',
  'stores',
  'menu',
  'campaigns',
  'coupons',
  'influencers',
  'members',
  'orders',
  'scans',
  'iiko',
  'audit',
  'settings',
] as const;
export type AdminArea = (typeof ADMIN_AREAS)[number];

export interface NavItem {
  to: string;
  label: MessageKey;
  icon: IconName;
  /** What the section is for (overview cards, placeholder pages). */
  description?: MessageKey;
  /** Active only on an exact match (index pages). */
  end?: boolean;
}

export interface NavGroup {
  id: string;
  label?: MessageKey;
  items: NavItem[];
}

function area(name: AdminArea): NavItem {
  return {
    to: `/admin/${name}`,
    label: `nav.admin.${name}`,
    description: `shell.area.${name}`,
    icon: name,
  };
}

export const ADMIN_NAV: NavGroup[] = [
  {
    id: 'main',
    items: [
      { to: '/admin', label: 'nav.admin.overview', icon: 'overview', end: true },
      area('dashboards'),
    ],
  },
  {
    id: 'operations',
    label: 'nav.group.operations',
    items: [area('orders'), area('scans'), area('stores'), area('menu')],
  },
  {
    id: 'marketing',
    label: 'nav.group.marketing',
    items: [area('campaigns'), area('coupons'), area('influencers'), area('members')],
  },
  {
    id: 'system',
    label: 'nav.group.system',
    items: [
      area('iiko'),
      // staff accounts are not an ADMIN_AREAS placeholder page, so the item is spelled out
      { to: '/admin/staff', label: 'nav.admin.staff', icon: 'lock' },
      area('audit'),
      area('settings'),
    ],
  },
];

export const MANAGER_AREAS = ['orders', 'scans', 'menu'] as const;
export type ManagerArea = (typeof MANAGER_AREAS)[number];

export function managerNav(storeId: number): NavGroup[] {
  const base = `/manage/${storeId}`;
  return [
    {
      id: 'store',
      items: [
        { to: base, label: 'nav.manage.overview', icon: 'overview', end: true },
        {
          to: `${base}/orders`,
          label: 'nav.manage.orders',
          description: 'shell.manage.area.orders',
          icon: 'orders',
        },
        {
          to: `${base}/scans`,
          label: 'nav.manage.scans',
          description: 'shell.manage.area.scans',
          icon: 'scans',
        },
        {
          to: `${base}/menu`,
          label: 'nav.manage.availability',
          description: 'shell.manage.area.availability',
          icon: 'availability',
        },
        { to: `${base}/audit`, label: 'nav.manage.audit', icon: 'audit' },
      ],
    },
  ];
}
