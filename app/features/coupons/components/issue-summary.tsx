import { Alert } from '~/components/ui/alert';
import { useT } from '~/i18n/use-t';
import type { IssueSummary } from '../issue.schema';

const SHOWN = 200;

/** The report of one issue: counts, then the unknown and invalid phones (first 200 of each). */
export function IssueSummaryReport({ summary }: { summary: IssueSummary }) {
  const t = useT();
  return (
    <Alert
      tone={summary.unknownPhones.length || summary.invalidPhones.length ? 'warning' : 'success'}
    >
      <div className="space-y-1" data-testid="issue-summary">
        <p className="font-medium">{t('couponIssue.result.title')}</p>
        <p>{t('couponIssue.result.issued', { count: summary.issued })}</p>
        {summary.alreadyIssued > 0 ? (
          <p>{t('couponIssue.result.already', { count: summary.alreadyIssued })}</p>
        ) : null}
        <p className="text-xs">
          {t('couponIssue.result.chunks', { count: summary.chunks })} ·{' '}
          {t('couponIssue.result.batch', { key: summary.batchKey })}
        </p>
        {summary.unknownPhones.length ? (
          <PhoneList
            title={t('couponIssue.result.unknown', { count: summary.unknownPhones.length })}
            phones={summary.unknownPhones}
          />
        ) : null}
        {summary.invalidPhones.length ? (
          <PhoneList
            title={t('couponIssue.result.invalid', { count: summary.invalidPhones.length })}
            phones={summary.invalidPhones}
          />
        ) : null}
      </div>
    </Alert>
  );
}

function PhoneList({ title, phones }: { title: string; phones: readonly string[] }) {
  return (
    <div>
      <p>{title}</p>
      <p className="break-all font-mono text-xs">
        {phones.slice(0, SHOWN).join(', ')}
        {phones.length > SHOWN ? ' …' : ''}
      </p>
    </div>
  );
}
