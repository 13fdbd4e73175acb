import { Form, useFetcher, useNavigation } from '@remix-run/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { CSRF_FIELD_NAME } from '~/components/auth/csrf-input';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Input, Label } from '~/components/ui/input';
import { CHECKOUT_FIELD } from '~/features/cart/checkout-form';
import { detailParams, formatDecimalRub } from '~/features/cart/format';
import type { QuoteJson, QuoteProblemJson } from '~/features/cart/quote-json';
import { QUOTE_API_PATH } from '~/features/cart/quote-api';
import { useLang, useT } from '~/i18n/use-t';
import type { MessageKey } from '~/i18n/translate';
import { BenefitsSection, type PickerCoupon } from './benefits-section';
import { CheckoutSummary } from './checkout-summary';
import { DeliverySection, type CheckoutAddress, type DeliveryNote } from './delivery-section';
import type { LatLngPair, PickerZone } from './location-picker';

export interface CheckoutFormData {
  store: {
    id: number;
    address: string;
    pickupEnabled: boolean;
    deliveryEnabled: boolean;
    point: LatLngPair | null;
  };
  member: { displayName: string; csrfToken: string };
  linesJson: string;
  addresses: CheckoutAddress[];
  coupons: PickerCoupon[];
  zones: PickerZone[];
  quote: QuoteJson;
  initial: { orderType: 'PICKUP' | 'DELIVERY'; addressId: string };
  idempotencyKey: string;
}

export interface CheckoutActionError {
  code: string;
  message_key: string;
  details: Record<string, unknown>;
}

/** Problems shown next to their control rather than in the list above the pay button. */
const SHOWN_IN_PLACE = new Set([
  'INSUFFICIENT_POINTS',
  'DELIVERY_NOT_AVAILABLE',
  'BELOW_DELIVERY_MINIMUM',
]);
const REQUOTE_DELAY_MS = 300;
/** Uncontrolled inputs that change the quote (the delivery address snapshot). */
const FREE_TEXT_FIELDS = new Set([
  'address_line',
  'apartment',
  'entrance',
  'floor',
  'intercom',
  'comment',
]);

function deliveryNote(quote: QuoteJson, lang: ReturnType<typeof useLang>): DeliveryNote {
  if (quote.order_type !== 'DELIVERY') return null;
  const problem = quote.problems.find(
    (p) => p.code === 'DELIVERY_NOT_AVAILABLE' || p.code === 'BELOW_DELIVERY_MINIMUM',
  );
  if (problem) {
    const addressMissing =
      problem.code === 'DELIVERY_NOT_AVAILABLE' && problem.details.reason === 'ADDRESS_REQUIRED';
    return {
      kind: 'problem',
      message: addressMissing
        ? 'checkout.delivery.addressRequired'
        : (problem.message_key as MessageKey),
      params: detailParams(problem.details, lang),
    };
  }
  if (!quote.delivery) return null;
  return {
    kind: 'zone',
    fee: formatDecimalRub(quote.delivery_fee, lang),
    minOrder:
      quote.delivery.min_order_amount !== '0.00'
        ? formatDecimalRub(quote.delivery.min_order_amount, lang)
        : null,
    etaMinutes: quote.delivery.eta_minutes,
  };
}

/**
 * The checkout form. Every change re-quotes through the quote API (the same form, posted to
 * /api/checkout/quote), and the page always shows the server's numbers; the pay button sends the
 * final amount it showed as expected_final_amount (PR-9) with the page's Idempotency-Key (CK-1).
 */
export function CheckoutForm({
  data,
  actionError,
}: {
  data: CheckoutFormData;
  actionError: CheckoutActionError | null;
}) {
  const t = useT();
  const lang = useLang();
  const navigation = useNavigation();
  const fetcher = useFetcher<{ quote?: QuoteJson }>();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<number | undefined>(undefined);

  const [orderType, setOrderType] = useState(data.initial.orderType);
  const [addressId, setAddressId] = useState(data.initial.addressId);
  const [point, setPoint] = useState({ lat: '', lng: '' });
  const [couponId, setCouponId] = useState('');
  const [usePoints, setUsePoints] = useState(false);
  const [dirty, setDirty] = useState(false);

  const quote = fetcher.data?.quote ?? data.quote;

  const { submit } = fetcher;
  const requote = useCallback(() => {
    setDirty(true);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      if (formRef.current) submit(formRef.current, { method: 'post', action: QUOTE_API_PATH });
    }, REQUOTE_DELAY_MS);
  }, [submit]);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  // the controlled choices: re-quote after React has written them into the form
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    requote();
  }, [orderType, addressId, point.lat, point.lng, couponId, usePoints, requote]);

  // a refused checkout (prices changed, coupon gone…) is followed by fresh numbers
  useEffect(() => {
    if (actionError) requote();
  }, [actionError, requote]);

  useEffect(() => {
    // an answer counts only when no newer change is still waiting to be sent
    if (fetcher.state === 'idle' && fetcher.data && timer.current === undefined) setDirty(false);
  }, [fetcher.state, fetcher.data]);

  const quoting = dirty || fetcher.state !== 'idle';
  const submitting = navigation.state !== 'idle' && navigation.formData !== undefined;
  const insufficient = quote.problems.find((p) => p.code === 'INSUFFICIENT_POINTS');
  const listed = quote.problems.filter((p) => !SHOWN_IN_PLACE.has(p.code));
  const blocked = quote.problems.length > 0;

  const problemText = (p: QuoteProblemJson | CheckoutActionError) =>
    t(p.message_key as MessageKey, detailParams(p.details, lang));

  return (
    <Form
      method="post"
      ref={formRef}
      onChange={(e) => {
        // free-text fields are uncontrolled; the controlled ones re-quote through the effect
        const target = e.target as HTMLInputElement;
        if (FREE_TEXT_FIELDS.has(target.name)) {
          requote();
        }
      }}
      className="space-y-5"
    >
      <input type="hidden" name={CSRF_FIELD_NAME} value={data.member.csrfToken} />
      <input type="hidden" name={CHECKOUT_FIELD.storeId} value={data.store.id} />
      <input type="hidden" name={CHECKOUT_FIELD.lines} value={data.linesJson} />
      <input type="hidden" name={CHECKOUT_FIELD.idempotencyKey} value={data.idempotencyKey} />
      <input type="hidden" name={CHECKOUT_FIELD.expectedFinalAmount} value={quote.final_amount} />

      {actionError ? (
        <Alert tone="danger" title={t('checkout.refused')}>
          {problemText(actionError)}
        </Alert>
      ) : null}

      <DeliverySection
        store={data.store}
        orderType={orderType}
        onOrderTypeChange={setOrderType}
        addresses={data.addresses}
        addressId={addressId}
        onAddressChange={setAddressId}
        point={point}
        onPointChange={setPoint}
        zones={data.zones}
        note={deliveryNote(quote, lang)}
      />

      <BenefitsSection
        coupons={data.coupons}
        couponId={couponId}
        onCouponChange={(id) => {
          setCouponId(id);
          if (id !== '') setUsePoints(false);
        }}
        usePoints={usePoints}
        onUsePointsChange={(on) => {
          setUsePoints(on);
          if (on) setCouponId('');
        }}
        points={{
          available: quote.points.available_points,
          required: quote.points.required_points,
          insufficient: insufficient
            ? {
                required: Number(
                  insufficient.details.required_points ?? quote.points.required_points,
                ),
                available: Number(
                  insufficient.details.available_points ?? quote.points.available_points,
                ),
              }
            : null,
        }}
      />

      <section className="space-y-1.5 rounded-lg border border-stone-200 bg-white p-4">
        <Label htmlFor="customer_name">{t('checkout.customerName')}</Label>
        <Input
          id="customer_name"
          name="customer_name"
          defaultValue={data.member.displayName}
          maxLength={100}
          autoComplete="name"
        />
      </section>

      <CheckoutSummary quote={quote} busy={quoting} />

      {listed.length > 0 ? (
        <Alert tone="warning" title={t('checkout.problems.title')}>
          <ul className="list-disc space-y-0.5 pl-4" data-testid="quote-problems">
            {listed.map((p, i) => (
              <li key={`${p.code}-${i}`}>{problemText(p)}</li>
            ))}
          </ul>
        </Alert>
      ) : null}

      <div className="sticky bottom-0 -mx-4 border-t border-stone-200 bg-white/95 px-4 py-3 backdrop-blur sm:static sm:mx-0 sm:rounded-lg sm:border">
        <Button
          type="submit"
          variant="primary"
          className="h-11 w-full text-base"
          disabled={blocked || quoting || submitting}
          data-testid="place-order"
        >
          {submitting
            ? t('checkout.placing')
            : t(quote.final_amount === '0.00' ? 'checkout.placeOrder' : 'checkout.pay', {
                amount: formatDecimalRub(quote.final_amount, lang),
              })}
        </Button>
      </div>
    </Form>
  );
}
