import { TabNav } from '~/components/ui/tab-nav';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';

const TABS: { to: string; label: MessageKey; end?: boolean }[] = [
  { to: '/admin/dashboards', label: 'dashboards.tabs.overview', end: true },
  { to: '/admin/dashboards/payments', label: 'dashboards.tabs.payments' },
  { to: '/admin/dashboards/iiko', label: 'dashboards.tabs.iiko' },
];

export function DashboardTabs() {
  const t = useT();
  return (
    <TabNav
      label={t('dashboards.tabs.label')}
      tabs={TABS.map((tab) => ({ ...tab, label: t(tab.label) }))}
    />
  );
}
