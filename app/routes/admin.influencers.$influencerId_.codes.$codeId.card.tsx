import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { parseStoreId as parseId, requireRole } from '~/auth/guards.server';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { CodeCard } from '~/features/influencers/components/code-card';
import { getCodeCard } from '~/features/influencers/influencers.server';
import { codeQrSvg } from '~/features/influencers/qr.server';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'influencers.card.title');

/**
 * The printable card of one code. Not nested in the influencer page (`$influencerId_`), so the
 * page prints only the card.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const influencerId = parseId(params.influencerId);
  const codeId = parseId(params.codeId);
  const card =
    influencerId === null || codeId === null
      ? null
      : await getCodeCard(context.db, { influencerId, codeId });
  if (!card) throw new Response('Not Found', { status: 404, statusText: 'Not Found' });
  return json({ card, influencerId, qrSvg: await codeQrSvg(card.code) });
}

export default function AdminCodeCardRoute() {
  const { card, influencerId, qrSvg } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHeader
        className="code-card-no-print"
        title={`${t('influencers.card.title')} ${card.code}`}
        actions={
          <ButtonLink to={`/admin/influencers/${influencerId}`} variant="ghost">
            {t('common.back')}
          </ButtonLink>
        }
      />
      <CodeCard card={card} qrSvg={qrSvg} />
    </>
  );
}
