import { Form } from '@remix-run/react';
import { Badge, type BadgeTone } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardHeader } from '~/components/ui/card';
import { Label, Select } from '~/components/ui/input';
import type { MessageKey } from '~/i18n/translate';
import { useLang, useT } from '~/i18n/use-t';
import { COUPON_INSTANCE_STATUSES } from '~/utils/vocabularies';
import { formatDate } from '../format';

export interface CouponCard {
  id: number;
  name: string;
  description: string;
  status: string;
  sourceType: string;
  sourceRef: string | null;
  tags: string[];
  validFrom: string;
  validUntil: string;
  usedAt: string | null;
}

const STATUS_TONES: Record<string, BadgeTone> = {
  UNUSED: 'success',
  USED: 'neutral',
  EXPIRED: 'warning',
  FROZEN: 'info',
  REVOKED: 'danger',
};

export interface CouponListProps {
  coupons: CouponCard[];
  tags: string[];
  filter: { status?: string; tag?: string };
}

/** CP-16: the member's coupons with effective validity, status, source and tags; a GET filter. */
export function CouponList({ coupons, tags, filter }: CouponListProps) {
  const t = useT();
  const lang = useLang();
  const filtered = Boolean(filter.status || filter.tag);
  return (
    <Card>
      <CardHeader title={t('account.coupons.title')} />
      <Form
        method="get"
        preventScrollReset
        className="flex flex-wrap items-end gap-3 border-b border-stone-100 px-4 py-3"
      >
        <div className="space-y-1">
          <Label htmlFor="coupon-status">{t('account.coupons.filter.status')}</Label>
          <Select
            id="coupon-status"
            name="status"
            defaultValue={filter.status ?? ''}
            className="w-44"
          >
            <option value="">{t('account.coupons.filter.all')}</option>
            {COUPON_INSTANCE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`account.coupons.status.${status}`)}
              </option>
            ))}
          </Select>
        </div>
        {tags.length > 0 ? (
          <div className="space-y-1">
            <Label htmlFor="coupon-tag">{t('account.coupons.filter.tag')}</Label>
            <Select id="coupon-tag" name="tag" defaultValue={filter.tag ?? ''} className="w-44">
              <option value="">{t('account.coupons.filter.all')}</option>
              {tags.map((tag) => (
                <option key={tag} value={tag}>
                  {tag}
                </option>
              ))}
            </Select>
          </div>
        ) : null}
        <Button type="submit" size="md">
          {t('account.coupons.filter.apply')}
        </Button>
      </Form>
      {coupons.length === 0 ? (
        <p className="px-4 py-6 text-sm text-stone-500">
          {t(filtered ? 'account.coupons.emptyFiltered' : 'account.coupons.empty')}
        </p>
      ) : (
        <ul className="divide-y divide-stone-100">
          {coupons.map((coupon) => (
            <li key={coupon.id} className="px-4 py-3" data-testid="coupon">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="min-w-0">
                  <p className="font-medium text-stone-900">{coupon.name}</p>
                  <p className="mt-0.5 text-sm text-stone-600">{coupon.description}</p>
                </div>
                <Badge tone={STATUS_TONES[coupon.status] ?? 'neutral'}>
                  {t(`account.coupons.status.${coupon.status}` as MessageKey)}
                </Badge>
              </div>
              <p className="mt-2 text-xs text-stone-500">
                {coupon.status === 'USED' && coupon.usedAt
                  ? t('account.coupons.usedAt', { date: formatDate(coupon.usedAt, lang) })
                  : t('account.coupons.validity', {
                      from: formatDate(coupon.validFrom, lang),
                      until: formatDate(coupon.validUntil, lang),
                    })}
                {' · '}
                {t('account.coupons.source', {
                  source: t(`account.coupons.sourceType.${coupon.sourceType}` as MessageKey),
                })}
                {coupon.sourceRef ? ` (${coupon.sourceRef})` : ''}
              </p>
              {coupon.tags.length > 0 ? (
                <div className="mt-2 flex flex-wrap gap-1">
                  {coupon.tags.map((tag) => (
                    <Badge key={tag} tone="neutral">
                      #{tag}
                    </Badge>
                  ))}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
