import type { SubmissionResult } from '@conform-to/react';
import { Badge } from '~/components/ui/badge';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import type { LatLng } from '../polygon';
import { NEW_ZONE, ZoneForm } from './zone-form';
import { ZonePreview } from './zone-preview';

interface ZoneItem {
  id: number;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  polygon: LatLng[];
  fee: number;
  minOrderAmount: number;
  etaMinutes: number;
  isActive: boolean;
}

/** The zones page body: preview, one collapsible form per zone, and the "new zone" form. */
export function ZoneList({
  point,
  zones,
  result,
}: {
  point: readonly [number, number] | null;
  zones: ZoneItem[];
  /** The failed submission to show again, with the zone it belongs to (null = the new zone). */
  result: { zoneId: number | null; reply: SubmissionResult<string[]> } | null;
}) {
  const t = useT();
  const lang = useLang();
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader
          title={t('delivery.preview.title')}
          description={t('delivery.preview.description')}
        />
        <CardBody>
          {zones.length || point ? (
            <ZonePreview
              label={t('delivery.preview.title')}
              store={point}
              zones={zones.map((z) => ({
                id: z.id,
                name: pickLocalized(lang, z, 'name'),
                polygon: z.polygon,
                isActive: z.isActive,
              }))}
            />
          ) : (
            <p className="text-sm text-stone-500">{t('delivery.preview.nothing')}</p>
          )}
        </CardBody>
      </Card>

      {zones.length === 0 ? (
        <EmptyState
          title={t('delivery.empty.title')}
          description={t('delivery.empty.description')}
        />
      ) : (
        zones.map((zone) => {
          const failed = result && result.zoneId === zone.id ? result.reply : null;
          return (
            <details
              key={zone.id}
              open={failed ? true : undefined}
              className="rounded-lg border border-stone-200 bg-white shadow-sm"
            >
              <summary className="flex cursor-pointer flex-wrap items-center gap-3 px-4 py-3 text-sm">
                <span className="font-medium text-stone-900">
                  {pickLocalized(lang, zone, 'name')}
                </span>
                <span className="text-stone-500">
                  {t('delivery.summary', {
                    fee: formatRub(zone.fee, lang),
                    min: formatRub(zone.minOrderAmount, lang),
                    eta: zone.etaMinutes,
                  })}
                </span>
                {zone.isActive ? null : <Badge tone="warning">{t('delivery.inactive')}</Badge>}
              </summary>
              <div className="border-t border-stone-200 px-4 py-4">
                <ZoneForm zone={zone} lastResult={failed} />
              </div>
            </details>
          );
        })
      )}

      <Card>
        <CardHeader title={t('delivery.new.title')} />
        <CardBody>
          <ZoneForm
            zone={NEW_ZONE}
            lastResult={result && result.zoneId === null ? result.reply : null}
          />
        </CardBody>
      </Card>
    </div>
  );
}
