import { formatMoscowMoment } from '~/components/charts/format';
import { useLang, useT } from '~/i18n/use-t';

/**
 * How fresh a dashboard's rollups are (ADR 0016, amended): the worker refreshes them every 15 s,
 * and on a replica the replication lag comes on top, so the page says what it shows.
 */
export function DataAsOf({ asOf }: { asOf: string | null }) {
  const t = useT();
  const lang = useLang();
  return (
    <p className="mb-4 text-xs text-stone-500" data-testid="dashboard-as-of">
      {asOf
        ? t('dashboards.asOf', {
            time: formatMoscowMoment(asOf, lang),
          })
        : t('dashboards.asOf.never')}
    </p>
  );
}
