import { Form } from '@remix-run/react';
import { Button } from '~/components/ui/button';
import { Input } from '~/components/ui/input';
import { useT } from '~/i18n/use-t';

/** The board's search box: by order number or the last digits of the phone, in the history. */
export function OrderSearch({ historyPath, storeId }: { historyPath: string; storeId?: number }) {
  const t = useT();
  return (
    <Form method="get" action={historyPath} role="search" className="flex items-center gap-2">
      {storeId !== undefined ? <input type="hidden" name="store" value={storeId} /> : null}
      <Input
        type="search"
        name="q"
        required
        maxLength={40}
        placeholder={t('orderBoard.search.placeholder')}
        aria-label={t('orderBoard.search.label')}
        className="w-56"
      />
      <Button type="submit" variant="secondary">
        {t('orderBoard.search.submit')}
      </Button>
    </Form>
  );
}
