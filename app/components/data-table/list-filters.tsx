import { Form, Link, useLocation } from '@remix-run/react';
import type { ReactNode } from 'react';
import { Button, buttonClasses } from '~/components/ui/button';
import { Input, Label, Select } from '~/components/ui/input';
import { useT } from '~/i18n/use-t';
import { DIR_PARAM, PAGE_SIZE_PARAM, QUERY_PARAM, SORT_PARAM } from '~/utils/search-params';

/**
 * The GET form above a list: search box, the route's filter controls (children) and Apply / Reset.
 * Submitting starts again on page 1 but keeps the sort and page size.
 */
export function ListFilters({
  q,
  searchLabel,
  children,
}: {
  q?: string;
  /** What the search looks in, e.g. "Code, name or city". */
  searchLabel?: string;
  children?: ReactNode;
}) {
  const t = useT();
  const location = useLocation();
  const current = new URLSearchParams(location.search);
  const kept = [SORT_PARAM, DIR_PARAM, PAGE_SIZE_PARAM].filter((name) => current.get(name));
  return (
    <Form
      method="get"
      action={location.pathname}
      role="search"
      className="mb-4 flex flex-wrap items-end gap-3"
    >
      {kept.map((name) => (
        <input key={name} type="hidden" name={name} value={current.get(name) ?? ''} />
      ))}
      {q !== undefined ? (
        <div className="min-w-56 flex-1 space-y-1.5">
          <Label htmlFor="list-q">{t('dataTable.search')}</Label>
          <Input
            id="list-q"
            type="search"
            name={QUERY_PARAM}
            defaultValue={q}
            placeholder={searchLabel}
            aria-label={searchLabel ?? t('dataTable.search')}
          />
        </div>
      ) : null}
      {children}
      <div className="flex gap-2">
        <Button type="submit" variant="primary">
          {t('dataTable.apply')}
        </Button>
        <Link to={location.pathname} className={buttonClasses({ variant: 'ghost' })}>
          {t('dataTable.reset')}
        </Link>
      </div>
    </Form>
  );
}

/** A labelled select for a list filter; the empty option means "any". */
export function FilterSelect({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: readonly { value: string; label: string }[];
}) {
  const t = useT();
  const id = `filter-${name}`;
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Select id={id} name={name} defaultValue={value ?? ''}>
        <option value="">{t('dataTable.any')}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </Select>
    </div>
  );
}
