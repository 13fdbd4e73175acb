import { Link } from '@remix-run/react';
import { Badge } from '~/components/ui/badge';
import { useT } from '~/i18n/use-t';
import { ALERT_RULE_DEFINITIONS, type AlertRule, type AlertSeverity } from '../rules';

export interface FiringAlert {
  rule: AlertRule;
  severity: AlertSeverity;
}

const TONE = { P0: 'danger', P1: 'warning', P2: 'info' } as const;

/**
 * DA-3: the rules firing now, on every admin page, each linking to the dashboard that explains it.
 * Renders nothing while none fires.
 */
export function AlertIndicator({ alerts }: { alerts: readonly FiringAlert[] }) {
  const t = useT();
  if (alerts.length === 0) return null;
  return (
    <nav
      aria-label={t('alerts.header.label')}
      data-testid="alerts-indicator"
      className="mb-5 flex flex-wrap items-center gap-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm"
    >
      <span className="font-medium text-red-800">{t('alerts.header.label')}:</span>
      {alerts.map((a) => (
        <Link
          key={a.rule}
          to={ALERT_RULE_DEFINITIONS[a.rule].href}
          data-testid={`header-alert-${a.rule}`}
          data-severity={a.severity}
          className="inline-flex items-center gap-1.5 rounded-md px-1 py-0.5 text-stone-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          <Badge tone={TONE[a.severity]}>{a.severity}</Badge>
          {t(`alerts.rule.${a.rule}`)}
        </Link>
      ))}
    </nav>
  );
}
