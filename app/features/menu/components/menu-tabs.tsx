import { TabNav } from '~/components/ui/tab-nav';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';

const TABS: { to: string; label: MessageKey; end?: boolean }[] = [
  { to: '/admin/menu', label: 'menu.tabs.products', end: true },
  { to: '/admin/menu/categories', label: 'menu.tabs.categories' },
  { to: '/admin/menu/options', label: 'menu.tabs.options' },
  { to: '/admin/menu/stores', label: 'menu.tabs.stores' },
];

export function MenuTabs() {
  const t = useT();
  return (
    <TabNav
      label={t('menu.tabs.label')}
      tabs={TABS.map((tab) => ({ ...tab, label: t(tab.label) }))}
    />
  );
}
