import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireMember } from '~/auth/member.server';
import { parseCouponFilter } from '~/features/account/account.schema';
import {
  getAccountProfile,
  LEDGER_PAGE_SIZE,
  listMemberOrders,
  listPointsLedger,
} from '~/features/account/account.server';
import { readMyCoupons } from '~/features/account/account.service.server';
import { CouponList } from '~/features/account/components/coupon-list';
import { OrderHistory } from '~/features/account/components/order-history';
import { PointsLedger } from '~/features/account/components/points-ledger';
import { ProfileCard } from '~/features/account/components/profile-card';
import { maskPhoneForDisplay } from '~/features/phone-auth/phone';
import { requestLang } from '~/features/phone-auth/phone-auth-http.server';
import { metaTitle, pickLocalized, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'account.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = await requireMember(request, context);
  const lang = requestLang(request);
  const filter = parseCouponFilter(new URL(request.url).searchParams);
  const [profile, ledger, myCoupons, orders] = await Promise.all([
    getAccountProfile(context.db, member.id),
    listPointsLedger(context.db, member.id),
    readMyCoupons(context.db, member.id, filter),
    listMemberOrders(context.db, member.id),
  ]);
  // the session outlived its member row only in theory (members are deactivated, never deleted)
  if (!profile) throw redirect('/signin');

  return json(
    {
      csrfToken: member.csrfToken,
      profile: {
        displayName: profile.displayName,
        phone: maskPhoneForDisplay(profile.phone),
        tier: profile.tier ? pickLocalized(lang, profile.tier, 'name') : null,
        pointsBalance: profile.pointsBalance,
      },
      ledger,
      coupons: myCoupons.coupons.map((c) => ({
        id: c.id,
        name: pickLocalized(lang, c.template, 'name'),
        description: pickLocalized(lang, c.template, 'description'),
        status: c.status,
        sourceType: c.sourceType,
        sourceRef: c.sourceRef,
        tags: c.tags,
        validFrom: c.validFrom,
        validUntil: c.validUntil,
        usedAt: c.usedAt,
      })),
      couponTags: myCoupons.tags,
      filter,
      orders: orders.map((o) => ({
        id: o.id,
        orderNumber: o.orderNumber,
        publicToken: o.publicToken,
        createdAt: o.createdAt,
        status: o.status,
        finalAmount: o.finalAmount as number,
        storeName: pickLocalized(lang, o.store, 'name'),
      })),
    },
    { headers: { 'Cache-Control': 'private, no-store' } },
  );
}

export default function AccountRoute() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="space-y-6 py-2">
      <h1 className="text-2xl font-bold tracking-tight text-stone-900">
        {t('account.greeting', { name: data.profile.displayName })}
      </h1>
      <ProfileCard {...data.profile} csrfToken={data.csrfToken} />
      <OrderHistory orders={data.orders} />
      <CouponList coupons={data.coupons} tags={data.couponTags} filter={data.filter} />
      <PointsLedger entries={data.ledger} limit={LEDGER_PAGE_SIZE} />
    </div>
  );
}
