import { Form, Link } from '@remix-run/react';
import { Button, buttonClasses } from '~/components/ui/button';
import { Input, Label, Select } from '~/components/ui/input';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import { BUCKETS, PAYMENT_PROVIDERS, type Bucket } from '../dashboard-params';

export interface DashboardStoreOption {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
}

/**
 * The filters of a dashboard as a GET form: everything lives in the URL, so a view can be
 * bookmarked and shared. `from` / `to` are Moscow wall-clock values (datetime-local inputs).
 */
export function DashboardFilters({
  action,
  from,
  to,
  bucket,
  storeId,
  provider,
  stores,
  showBucket = false,
  showProvider = false,
}: {
  action: string;
  from: string;
  to: string;
  bucket?: Bucket;
  storeId?: number;
  provider?: string;
  stores?: DashboardStoreOption[];
  showBucket?: boolean;
  showProvider?: boolean;
}) {
  const t = useT();
  const lang = useLang();
  return (
    <Form method="get" action={action} className="mb-6 flex flex-wrap items-end gap-3">
      <div className="space-y-1.5">
        <Label htmlFor="dash-from">{t('dashboards.filter.from')}</Label>
        <Input id="dash-from" type="datetime-local" name="from" defaultValue={from} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="dash-to">{t('dashboards.filter.to')}</Label>
        <Input id="dash-to" type="datetime-local" name="to" defaultValue={to} />
      </div>
      {showBucket ? (
        <div className="space-y-1.5">
          <Label htmlFor="dash-bucket">{t('dashboards.filter.bucket')}</Label>
          <Select id="dash-bucket" name="bucket" defaultValue={bucket}>
            {BUCKETS.map((b) => (
              <option key={b} value={b}>
                {t(`dashboards.filter.bucket.${b}`)}
              </option>
            ))}
          </Select>
        </div>
      ) : null}
      {stores ? (
        <div className="space-y-1.5">
          <Label htmlFor="dash-store">{t('dashboards.filter.store')}</Label>
          <Select id="dash-store" name="store" defaultValue={storeId ?? ''}>
            <option value="">{t('dashboards.filter.allStores')}</option>
            {stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} · {pickLocalized(lang, s, 'name')}
              </option>
            ))}
          </Select>
        </div>
      ) : null}
      {showProvider ? (
        <div className="space-y-1.5">
          <Label htmlFor="dash-provider">{t('dashboards.filter.provider')}</Label>
          <Select id="dash-provider" name="provider" defaultValue={provider ?? ''}>
            <option value="">{t('dashboards.filter.allProviders')}</option>
            {PAYMENT_PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </Select>
        </div>
      ) : null}
      <Button type="submit" variant="primary">
        {t('dashboards.filter.apply')}
      </Button>
      <Link to={action} className={buttonClasses({ variant: 'ghost' })}>
        {t('dashboards.filter.reset')}
      </Link>
      <p className="w-full text-xs text-stone-500">{t('dashboards.filter.timezone')}</p>
    </Form>
  );
}
