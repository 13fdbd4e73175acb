import { Form, Link, useParams } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Alert } from '~/components/ui/alert';
import { Badge } from '~/components/ui/badge';
import { Button, buttonClasses } from '~/components/ui/button';
import { Card, CardBody, CardFooter, CardHeader } from '~/components/ui/card';
import { Input, Label } from '~/components/ui/input';
import type { Lang } from '~/i18n/languages';
import { useLang, useT } from '~/i18n/use-t';
import { REVOKE_KEY_INTENT, ROTATE_KEY_INTENT } from '../scans.schema';

export interface ScanKeyView {
  hasKey: boolean;
  lastRotatedAt: string | null;
  lastRevokedAt: string | null;
}

const LOCALES: Record<Lang, string> = { ru: 'ru-RU', zh: 'zh-CN', en: 'en-GB' };

function formatTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: 'Europe/Moscow',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(iso));
}

/** Status of a store's device key, its rotation and revocation, and the new key shown once. */
export function ScanKeyPanel({
  view,
  newKey,
  revoked,
}: {
  view: ScanKeyView;
  /** Only in the answer to the rotation itself; never stored or shown again. */
  newKey: string | null;
  revoked: boolean;
}) {
  const t = useT();
  const lang = useLang();
  return (
    <div className="max-w-3xl space-y-4">
      {newKey ? (
        <Alert tone="warning" title={t('scans.key.newTitle')}>
          <p className="mb-3">{t('scans.key.newHint')}</p>
          <Label htmlFor="scan-device-key">{t('scans.key.label')}</Label>
          <Input
            id="scan-device-key"
            readOnly
            value={newKey}
            className="mt-1.5 font-mono"
            onFocus={(e) => e.currentTarget.select()}
          />
          <p className="mt-2 font-mono text-xs">Authorization: Bearer {newKey}</p>
        </Alert>
      ) : null}
      {revoked && !newKey ? <Alert tone="success">{t('scans.key.revoked')}</Alert> : null}
      <Card>
        <CardHeader
          title={t('scans.key.title')}
          description={t('scans.key.description')}
          actions={
            view.hasKey ? (
              <Badge tone="success">{t('scans.key.active')}</Badge>
            ) : (
              <Badge tone="warning">{t('scans.key.none')}</Badge>
            )
          }
        />
        <CardBody className="space-y-2 text-sm text-stone-700">
          <p>
            {view.lastRotatedAt
              ? t('scans.key.lastRotated', { time: formatTime(view.lastRotatedAt, lang) })
              : t('scans.key.neverRotated')}
          </p>
          {view.lastRevokedAt ? (
            <p>{t('scans.key.lastRevoked', { time: formatTime(view.lastRevokedAt, lang) })}</p>
          ) : null}
          <p className="text-stone-500">{t('scans.key.rotateHint')}</p>
        </CardBody>
        <CardFooter>
          {view.hasKey ? (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value={REVOKE_KEY_INTENT} />
              <Button type="submit" variant="danger">
                {t('scans.key.revoke')}
              </Button>
            </Form>
          ) : null}
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value={ROTATE_KEY_INTENT} />
            <Button type="submit" variant="primary">
              {view.hasKey ? t('scans.key.rotate') : t('scans.key.create')}
            </Button>
          </Form>
        </CardFooter>
      </Card>
    </div>
  );
}

/** On the store's details page: where the scan device key is managed. */
export function ScanKeyCard() {
  const t = useT();
  const { storeId } = useParams();
  return (
    <Card className="mt-6 max-w-3xl">
      <CardHeader
        title={t('scans.key.title')}
        description={t('scans.key.cardHint')}
        actions={
          <Link
            to={`/admin/stores/${storeId}/scan-key`}
            className={buttonClasses({ variant: 'secondary', size: 'sm' })}
          >
            {t('scans.key.manage')}
          </Link>
        }
      />
    </Card>
  );
}
