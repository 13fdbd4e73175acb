import { TabNav } from '~/components/ui/tab-nav';
import { useT } from '~/i18n/use-t';

export function StoreTabs({ storeId }: { storeId: number }) {
  const t = useT();
  return (
    <TabNav
      label={t('stores.tabs.label')}
      tabs={[
        { to: `/admin/stores/${storeId}`, label: t('stores.tabs.details'), end: true },
        { to: `/admin/stores/${storeId}/zones`, label: t('stores.tabs.zones') },
      ]}
    />
  );
}
