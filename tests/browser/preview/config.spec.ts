import { expect, openConfigPage, test } from './fixtures';

test.describe('datasource settings page (built ConfigEditor, real backend, real Parca)', () => {
  // Each test leaves the datasource pointing at the test stack's Parca again.
  test.afterEach(async ({ page, previewHost }) => {
    const current = await (await page.request.get('/api/datasources/uid/spanflame-parca')).json();
    await page.request.put('/api/datasources/uid/spanflame-parca', {
      data: {
        ...current,
        url: previewHost.parcaURL,
        jsonData: { ...current.jsonData, authType: 'none' },
        secureJsonData: { bearerToken: '' },
      },
    });
  });

  test('Save & test reports a working Parca', async ({ page, previewHost }) => {
    await openConfigPage(page);
    await page.getByLabel(/^URL/).fill(previewHost.parcaURL);
    await page.getByLabel(/^Timeout/).fill('20');
    await page.getByLabel(/^Service label/).fill('service_name');
    await page.getByRole('button', { name: 'Save & test' }).click();

    const success = page.getByTestId('health-success');
    await expect(success).toBeVisible({ timeout: 60_000 });
    await expect(success).toContainText(/Parca reachable, \d+ profile types/);

    const saved = await (await page.request.get('/api/datasources/uid/spanflame-parca')).json();
    expect(saved).toMatchObject({
      url: previewHost.parcaURL,
      jsonData: { timeoutSeconds: 20, serviceLabel: 'service_name' },
    });
    await page.screenshot({ path: 'tests/browser/artifacts/preview/config-save-and-test.png', fullPage: true });
  });

  test('a wrong URL fails Save & test with a readable reason', async ({ page }) => {
    await openConfigPage(page);
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    await page.getByLabel(/^URL/).fill('http://127.0.0.1:9');
    await page.getByRole('button', { name: 'Save & test' }).click();

    const failure = page.getByTestId('health-error');
    await expect(failure).toBeVisible({ timeout: 60_000 });
    await expect(failure).toContainText('cannot reach Parca at http://127.0.0.1:9');
    await expect(failure).toContainText(/refused/);
    await page.screenshot({ path: 'tests/browser/artifacts/preview/config-wrong-url.png', fullPage: true });
  });

  test('a saved secret is never sent back, only shown as configured', async ({ page }) => {
    await openConfigPage(page);
    await page.getByRole('radio', { name: 'Bearer token' }).click();
    await page.getByLabel(/^Token/).fill('s3cret-token');
    await page.getByRole('button', { name: 'Save & test' }).click();
    await expect(page.getByTestId('health-result')).not.toContainText('Testing', { timeout: 60_000 });

    const saved = await (await page.request.get('/api/datasources/uid/spanflame-parca')).json();
    expect(JSON.stringify(saved)).not.toContain('s3cret-token');
    expect(saved.secureJsonFields).toEqual({ bearerToken: true });

    await page.reload();
    const token = page.getByLabel(/^Token/);
    await expect(token).toHaveValue('configured');
    await expect(token).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Reset' })).toBeVisible();
  });
});
