import { useLocation } from '@remix-run/react';
import { TabNav } from '~/components/ui/tab-nav';
import { useT } from '~/i18n/use-t';

/** Sub-navigation of /admin/iiko: jobs (also the job pages), import now, override conflicts. */
export function IikoTabs() {
  const t = useT();
  const { pathname } = useLocation();
  // a job's page belongs to the jobs tab although its URL is not under /admin/iiko exactly
  const onJob = pathname.startsWith('/admin/iiko/jobs/');
  return (
    <TabNav
      label={t('iikoAdmin.tabs.label')}
      tabs={[
        { to: '/admin/iiko', label: t('iikoAdmin.tabs.jobs'), end: !onJob },
        { to: '/admin/iiko/import', label: t('iikoAdmin.tabs.import') },
        { to: '/admin/iiko/conflicts', label: t('iikoAdmin.tabs.conflicts') },
      ]}
    />
  );
}
