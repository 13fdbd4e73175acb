import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireRole } from '~/auth/guards.server';
import { performanceCsv } from '~/features/influencers/performance-csv.server';
import { idFilter } from '~/utils/search-params';

/**
 * GET /admin/influencers/report.csv[?campaignId=…][&influencerId=…]: the performance table
 * (per influencer and campaign code) as a CSV file for Excel; headers in the admin's language.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const url = new URL(request.url);
  const campaignId = idFilter().parse(url.searchParams.get('campaignId') ?? undefined);
  const influencerId = idFilter().parse(url.searchParams.get('influencerId') ?? undefined);
  const body = await performanceCsv(context.db, user.language, { campaignId, influencerId });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="influencer-report-${date}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
