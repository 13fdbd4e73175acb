import {
  getFormProps,
  getInputProps,
  getSelectProps,
  useForm,
  type SubmissionResult,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Alert } from '~/components/ui/alert';
import { Badge } from '~/components/ui/badge';
import { Button, ButtonLink } from '~/components/ui/button';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { Input, Select } from '~/components/ui/input';
import { PageHeader } from '~/components/ui/page-header';
import { FieldError, FormField } from '~/components/forms/form-fields';
import type { MessageKey } from '~/i18n/translate';
import { useLang, useT } from '~/i18n/use-t';
import { MIN_PASSWORD_LENGTH, resetPasswordSchema, storeLinkSchema } from '../staff.schema';
import { formatDateTime, roleKey } from './staff-list';

interface StoreOption {
  id: number;
  code: string;
  name_ru: string;
  is_active: boolean;
}

const DONE_KEYS: Record<string, MessageKey> = {
  created: 'staff.done.created',
  resetPassword: 'staff.done.resetPassword',
  assignStore: 'staff.done.assignStore',
  unassignStore: 'staff.done.unassignStore',
  deactivate: 'staff.done.deactivate',
  activate: 'staff.done.activate',
};

export function StaffDetailView({
  user,
  stores,
  isSelf,
  done,
  result,
}: {
  user: {
    id: number;
    email: string;
    display_name: string;
    role: string;
    is_active: boolean;
    last_login_at: string | null;
    locked_until: string | null;
    stores: StoreOption[];
  };
  stores: StoreOption[];
  isSelf: boolean;
  done: string | null;
  result: { intent: string; reply: SubmissionResult<string[]> } | null;
}) {
  const t = useT();
  const lang = useLang();
  const replyFor = (intent: string) => (result?.intent === intent ? result.reply : null);
  const doneKey = done ? DONE_KEYS[done] : undefined;
  const statusErrors = replyFor('deactivate')?.error?.[''] ?? replyFor('activate')?.error?.[''];
  const linked = new Set(user.stores.map((s) => s.id));
  return (
    <>
      <PageHeader
        eyebrow={
          <span className="flex gap-2">
            <Badge tone="brand">{t(roleKey(user.role))}</Badge>
            {user.is_active ? (
              <Badge tone="success">{t('staff.status.active')}</Badge>
            ) : (
              <Badge tone="warning">{t('staff.status.inactive')}</Badge>
            )}
          </span>
        }
        title={user.display_name}
        description={user.email}
        actions={
          <ButtonLink to="/admin/staff" variant="ghost">
            {t('common.back')}
          </ButtonLink>
        }
      />
      {doneKey ? (
        <Alert tone="success" className="mb-4">
          {t(doneKey)}
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title={t('staff.detail.account')} />
          <CardBody className="space-y-4 text-sm">
            <dl className="grid grid-cols-2 gap-2">
              <dt className="text-stone-500">{t('staff.column.lastLogin')}</dt>
              <dd>{formatDateTime(user.last_login_at, lang)}</dd>
              <dt className="text-stone-500">{t('staff.detail.lockedUntil')}</dt>
              <dd>{formatDateTime(user.locked_until, lang)}</dd>
            </dl>
            <Form method="post">
              <CsrfInput />
              <input
                type="hidden"
                name="intent"
                value={user.is_active ? 'deactivate' : 'activate'}
              />
              {user.is_active ? (
                <>
                  <p className="mb-2 text-stone-500">{t('staff.hint.deactivate')}</p>
                  <Button type="submit" variant="danger" disabled={isSelf}>
                    {t('staff.action.deactivate')}
                  </Button>
                  {isSelf ? (
                    <p className="mt-1 text-xs text-stone-500">{t('staff.error.self')}</p>
                  ) : null}
                </>
              ) : (
                <Button type="submit" variant="secondary">
                  {t('staff.action.activate')}
                </Button>
              )}
              <FieldError errors={statusErrors ?? undefined} />
            </Form>
          </CardBody>
        </Card>
        <ResetPasswordCard lastResult={replyFor('resetPassword')} />
        {user.role === 'STORE_MANAGER' ? (
          <StoreLinksCard
            linked={user.stores}
            available={stores.filter((s) => !linked.has(s.id))}
            assignResult={replyFor('assignStore')}
            unassignResult={replyFor('unassignStore')}
          />
        ) : null}
      </div>
    </>
  );
}

function ResetPasswordCard({ lastResult }: { lastResult: SubmissionResult<string[]> | null }) {
  const t = useT();
  const [form, fields] = useForm({
    id: 'reset-password',
    lastResult,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: resetPasswordSchema }),
  });
  const { key, ...props } = getInputProps(fields.password, { type: 'password' });
  return (
    <Card>
      <CardHeader title={t('staff.detail.resetPassword')} description={t('staff.hint.reset')} />
      <CardBody>
        <Form method="post" {...getFormProps(form)} className="space-y-3">
          <CsrfInput />
          <input type="hidden" name="intent" value="resetPassword" />
          <FormField
            field={fields.password}
            label={t('staff.field.newPassword')}
            hint={t('staff.hint.password', { min: MIN_PASSWORD_LENGTH })}
          >
            <Input key={key} {...props} autoComplete="new-password" />
          </FormField>
          <Button type="submit" variant="primary">
            {t('staff.action.resetPassword')}
          </Button>
        </Form>
      </CardBody>
    </Card>
  );
}

function StoreLinksCard({
  linked,
  available,
  assignResult,
  unassignResult,
}: {
  linked: StoreOption[];
  available: StoreOption[];
  assignResult: SubmissionResult<string[]> | null;
  unassignResult: SubmissionResult<string[]> | null;
}) {
  const t = useT();
  const [form, fields] = useForm({
    id: 'assign-store',
    lastResult: assignResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: storeLinkSchema }),
  });
  const { key, ...props } = getSelectProps(fields.storeId);
  return (
    <Card className="lg:col-span-2">
      <CardHeader title={t('staff.detail.stores')} description={t('staff.hint.stores')} />
      <CardBody className="space-y-4">
        {linked.length === 0 ? (
          <p className="text-sm text-stone-500">{t('staff.detail.noStores')}</p>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm">
            {linked.map((s) => (
              <li key={s.id} className="flex items-center justify-between py-2">
                <span>
                  <span className="font-mono">{s.code}</span> · {s.name_ru}
                </span>
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="unassignStore" />
                  <input type="hidden" name="storeId" value={s.id} />
                  <Button type="submit" size="sm" variant="ghost">
                    {t('staff.action.unassign')}
                  </Button>
                </Form>
              </li>
            ))}
          </ul>
        )}
        <FieldError errors={unassignResult?.error?.storeId ?? undefined} />
        {available.length ? (
          <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-end gap-3">
            <CsrfInput />
            <input type="hidden" name="intent" value="assignStore" />
            <FormField field={fields.storeId} label={t('staff.field.store')}>
              <Select key={key} {...props}>
                {available.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.code} · {s.name_ru}
                  </option>
                ))}
              </Select>
            </FormField>
            <Button type="submit" variant="primary">
              {t('staff.action.assign')}
            </Button>
          </Form>
        ) : null}
      </CardBody>
    </Card>
  );
}
