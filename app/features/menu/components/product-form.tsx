import { getFormProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form, useNavigation } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Button } from '~/components/ui/button';
import { Card, CardBody, CardFooter } from '~/components/ui/card';
import { Field, Input, Select } from '~/components/ui/input';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import { productSchema } from '../menu.schema';
import {
  CheckboxField,
  FormErrors,
  LocalizedFields,
  TextField,
  useFieldError,
} from './form-controls';

export interface ProductFormDefaults {
  sku: string;
  name_ru: string;
  name_zh: string;
  name_en: string;
  description_ru: string;
  description_zh: string;
  description_en: string;
  base_price: string;
  category_id: string;
  image_url: string;
  is_special_price: boolean;
  sort_order: string;
  is_active: boolean;
}

export const EMPTY_PRODUCT: ProductFormDefaults = {
  sku: '',
  name_ru: '',
  name_zh: '',
  name_en: '',
  description_ru: '',
  description_zh: '',
  description_en: '',
  base_price: '',
  category_id: '',
  image_url: '',
  is_special_price: false,
  sort_order: '0',
  is_active: true,
};

/** Create / edit a product; the image is a URL or an uploaded file (multipart). */
export function ProductForm({
  intent,
  defaultValue,
  lastResult,
  categories,
}: {
  intent: string;
  defaultValue: ProductFormDefaults;
  lastResult: SubmissionResult<string[]> | undefined;
  categories: { id: number; name_ru: string; name_zh: string | null; name_en: string | null }[];
}) {
  const t = useT();
  const lang = useLang();
  const errorOf = useFieldError();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `product-${intent}`,
    lastResult,
    defaultValue,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: productSchema }),
  });
  const { key: categoryKey, ...categoryProps } = getSelectProps(fields.category_id);
  const submitting =
    navigation.state === 'submitting' && navigation.formData?.get('intent') === intent;

  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <Card>
        <CardBody className="space-y-5">
          <FormErrors errors={form.errors} />
          <div className="grid gap-4 sm:grid-cols-3">
            <TextField field={fields.sku} label={t('menu.field.sku')} />
            <TextField
              field={fields.base_price}
              label={t('menu.field.basePrice')}
              hint={t('menu.hint.rubles')}
              inputMode="decimal"
            />
            <Field label={t('menu.field.category')} error={errorOf(fields.category_id.errors)}>
              {(p) => (
                <Select key={categoryKey} {...categoryProps} {...p}>
                  <option value="">{t('menu.field.noCategory')}</option>
                  {categories.map((c) => (
                    <option key={c.id} value={c.id}>
                      {pickLocalized(lang, c, 'name')}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <LocalizedFields
            fields={{ ru: fields.name_ru, zh: fields.name_zh, en: fields.name_en }}
            label={t('menu.field.name')}
          />
          <LocalizedFields
            fields={{
              ru: fields.description_ru,
              zh: fields.description_zh,
              en: fields.description_en,
            }}
            label={t('menu.field.description')}
            multiline
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              field={fields.image_url}
              label={t('menu.field.imageUrl')}
              hint={t('menu.hint.imageUrl')}
            />
            <Field label={t('menu.field.imageFile')} hint={t('menu.hint.imageFile')}>
              {(p) => (
                <Input
                  type="file"
                  name="image_file"
                  accept="image/jpeg,image/png,image/webp"
                  className="py-1.5"
                  {...p}
                />
              )}
            </Field>
          </div>
          {defaultValue.image_url ? (
            <img
              src={defaultValue.image_url}
              alt=""
              className="h-24 w-24 rounded-md border border-stone-200 object-cover"
            />
          ) : null}
          <div className="grid gap-4 sm:grid-cols-3">
            <TextField
              field={fields.sort_order}
              label={t('menu.field.sortOrder')}
              inputMode="numeric"
            />
            <div className="space-y-2 pt-6">
              <CheckboxField field={fields.is_active} label={t('menu.field.isActive')} />
              <CheckboxField
                field={fields.is_special_price}
                label={t('menu.field.specialPriceLong')}
              />
            </div>
          </div>
        </CardBody>
        <CardFooter>
          <Button type="submit" variant="primary" disabled={submitting}>
            {t('common.save')}
          </Button>
        </CardFooter>
      </Card>
    </Form>
  );
}
