import { expect, test, type Page } from '@playwright/test';
import { translate, type MessageKey } from '../../app/i18n/translate';
import { DEMO_ADMIN } from '../../db/seed/demo-users';
import { sql } from '../support/runtime';

const ru = (key: MessageKey, params?: Record<string, string | number>) =>
  translate('ru', key, params);

async function signInRu(page: Page) {
  await page.context().addCookies([{ name: 'ctea_lang', value: 'ru', url: 'http://localhost' }]);
  await page.goto('/login');
  await page.getByLabel(ru('auth.login.email')).fill(DEMO_ADMIN.email);
  await page.getByLabel(ru('auth.login.password')).fill(DEMO_ADMIN.password);
  await page.getByRole('button', { name: ru('auth.login.submit') }).click();
  await expect(page).toHaveURL(/\/admin$/);
}

/**
 * A FAILED menu import with two logged attempts. A RUNNING job of the same resource, leased for
 * an hour, keeps the server's in-process workers from claiming the retried job (IK-3 claims
 * nothing for a resource with a RUNNING job), so the page can be seen in its PENDING state.
 */
async function seedFailedImport(resource: string): Promise<number> {
  const [job] = await sql<{ id: number }>(
    `insert into iiko_sync_job (job_type, resource_id, status, max_attempts, attempt_count,
                                started_at, finished_at, last_error)
     values ('MENU_IMPORT', $1, 'FAILED', 4, 2, now() - interval '10 minutes',
             now() - interval '9 minutes', 'HTTP_401: invalid apiLogin')
     returning id`,
    [resource],
  );
  await sql(
    `insert into iiko_sync_log (job_id, attempt_number, started_at, finished_at, duration_ms,
                                success, http_status, error_code, error_message,
                                request_summary, response_summary)
     values ($1, 1, now() - interval '20 minutes', now() - interval '20 minutes', 20000, false,
             null, 'TIMEOUT', 'no answer in 20 s', 'POST /api/1/nomenclature {"startRevision":0}',
             null),
            ($1, 2, now() - interval '10 minutes', now() - interval '9 minutes', 812, false,
             401, 'HTTP_401', 'invalid apiLogin', 'POST /api/1/access_token {"apiLogin":"[REDACTED]"}',
             '{"errorDescription":"Login is not authorized"}')`,
    [job!.id],
  );
  await sql(
    `insert into iiko_sync_job (job_type, resource_id, status, max_attempts, attempt_count,
                                started_at, lease_until, locked_by)
     values ('MENU_IMPORT', $1, 'RUNNING', 4, 1, now(), now() + interval '1 hour', 'e2e-blocker')`,
    [resource],
  );
  return job!.id;
}

test('admin opens a failed iiko job, sees its attempts and retries it', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  const resource = `org:e2e-${Date.now()}`;
  const jobId = await seedFailedImport(resource);

  await signInRu(page);
  await page.goto('/admin/iiko');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru('nav.admin.iiko'));

  // the list filters by resource and status through the URL
  await page.getByLabel(ru('iikoAdmin.column.resource')).fill(resource);
  await page.getByLabel(ru('iikoAdmin.column.status')).selectOption('FAILED');
  await page.getByRole('button', { name: ru('dataTable.apply') }).click();
  await expect(page).toHaveURL(/status=FAILED/);
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(2); // header + the failed job (the blocker is RUNNING)
  await expect(rows.nth(1)).toContainText(ru('iikoAdmin.type.MENU_IMPORT'));
  await expect(rows.nth(1)).toContainText('2/4');
  await page.getByRole('link', { name: String(jobId), exact: true }).click();

  await expect(page).toHaveURL(new RegExp(`/admin/iiko/jobs/${jobId}$`));
  await expect(page.getByTestId('job-status')).toHaveText(ru('iikoAdmin.status.FAILED'));
  const attempts = page.getByTestId('iiko-attempt');
  await expect(attempts).toHaveCount(2);
  await expect(attempts.nth(0)).toContainText(ru('iikoAdmin.attempt.number', { n: 1 }));
  await expect(attempts.nth(0)).toContainText('TIMEOUT');
  await expect(attempts.nth(1)).toContainText(ru('iikoAdmin.attempt.number', { n: 2 }));
  await expect(attempts.nth(1)).toContainText('HTTP 401');
  // summaries are folded until opened
  const response = attempts.nth(1).getByText('Login is not authorized');
  await expect(response).toBeHidden();
  await attempts.nth(1).getByText(ru('iikoAdmin.attempt.response')).click();
  await expect(response).toBeVisible();

  await page.getByRole('button', { name: ru('iikoAdmin.action.retry') }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/iiko/jobs/${jobId}\\?notice=retried$`));
  await expect(page.getByText(ru('iikoAdmin.notice.retried'))).toBeVisible();
  await expect(page.getByTestId('job-status')).toHaveText(ru('iikoAdmin.status.PENDING'));
  await expect(page.getByTestId('job-attempts')).toHaveText('0/4');
  await expect(page.getByRole('button', { name: ru('iikoAdmin.action.retry') })).toHaveCount(0);

  const [row] = await sql<{ status: string; attempt_count: number }>(
    'select status, attempt_count from iiko_sync_job where id = $1',
    [jobId],
  );
  expect(row).toEqual({ status: 'PENDING', attempt_count: 0 });
  const audit = await sql<{ action: string }>(
    `select action from audit_log where entity_type = 'iiko_sync_job' and entity_id = $1`,
    [String(jobId)],
  );
  expect(audit.map((a) => a.action)).toEqual(['iiko_job.retry']);
  expect(errors).toEqual([]);
});

test('"import menu now" follows the import by itself until it finishes', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await signInRu(page);
  await page.goto('/admin/iiko/import');
  await page.getByRole('button', { name: ru('iikoAdmin.import.button') }).click();
  await expect(page).toHaveURL(/\/admin\/iiko\/import\?job=\d+&notice=(enqueued|alreadyQueued)$/);
  const jobId = Number(/job=(\d+)/.exec(page.url())![1]);
  const progress = page.getByRole('list', { name: ru('iikoAdmin.import.progress') });
  await expect(progress).toBeVisible();

  // the e2e server talks to the fake iiko, which serves the demo seed's nomenclature: the worker
  // completes the import, and the page shows it without a reload because it revalidates itself
  // while the job is unfinished
  await expect(progress).toContainText(ru('iikoAdmin.status.COMPLETED'), { timeout: 30_000 });
  const [row] = await sql<{ job_type: string; status: string; result: Record<string, unknown> }>(
    'select job_type, status, result from iiko_sync_job where id = $1',
    [jobId],
  );
  expect(row).toMatchObject({ job_type: 'MENU_IMPORT', status: 'COMPLETED' });
  expect(errors).toEqual([]);
});

test('admin accepts the iiko values of an overridden product', async ({ page }) => {
  const sku = `E2E-IIKO-${Date.now()}`;
  const [product] = await sql<{ id: number }>(
    `insert into product (sku, name_ru, base_price, is_manual_override, iiko_name, iiko_price)
     values ($1, 'Улун (правка)', 300.00, true, 'Улун iiko', 320.00) returning id`,
    [sku],
  );
  await signInRu(page);
  await page.goto('/admin/iiko/conflicts');
  const row = page.getByRole('row').filter({ hasText: sku });
  await expect(row).toContainText('Улун iiko');
  await row.getByRole('button', { name: ru('iikoAdmin.conflicts.accept') }).click();
  await expect(page.getByText(ru('iikoAdmin.notice.accepted'))).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: sku })).toHaveCount(0);
  const [after] = await sql<{ name_ru: string; base_price: string; is_manual_override: boolean }>(
    'select name_ru, base_price::text, is_manual_override from product where id = $1',
    [product!.id],
  );
  expect(after).toEqual({ name_ru: 'Улун iiko', base_price: '320.00', is_manual_override: false });
});
