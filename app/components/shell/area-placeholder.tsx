import { Badge } from '~/components/ui/badge';
import { EmptyState } from '~/components/ui/empty-state';
import { PageHeader } from '~/components/ui/page-header';
import { useT } from '~/i18n/use-t';
import type { MessageKey } from '~/i18n/translate';
import { Icon, type IconName } from './icons';

/**
 * A section that is not built yet: its real heading and purpose, and a "coming soon" empty state.
 * Later issues replace each placeholder route with the real screen.
 */
export function AreaPlaceholder({
  title,
  description,
  icon,
}: {
  title: MessageKey;
  description: MessageKey;
  icon: IconName;
}) {
  const t = useT();
  return (
    <>
      <PageHeader title={t(title)} description={t(description)} />
      <EmptyState
        icon={<Icon name={icon} />}
        title={t('shell.soon.title')}
        description={t('shell.soon.body')}
        action={<Badge tone="brand">{t('shell.soon.badge')}</Badge>}
      />
    </>
  );
}
