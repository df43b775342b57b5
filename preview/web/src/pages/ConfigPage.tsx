import { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import type { DataSourceSettings, GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';

import { reportHostError } from '../hostErrors';
import { AnyDataSourcePlugin, loadDataSourcePlugin } from '../pluginLoader';
import { backendSrv, dataSourceSrv } from '../services';

interface TestResult {
  status: 'success' | 'error' | 'testing';
  message: string;
  details?: string;
}

/** Grafana's parseHealthCheckError: the message and, when given, the details' message. */
function describeTestFailure(err: unknown): TestResult {
  const e = err as {
    message?: string;
    data?: { message?: string; details?: { message?: string } };
    details?: { message?: string };
    error?: { details?: { message?: string } };
  };
  const message = e?.data?.message ?? e?.message ?? String(err);
  const details = e?.details?.message ?? e?.data?.details?.message ?? e?.error?.details?.message;
  return { status: 'error', message, details };
}

/**
 * The datasource settings page: the plugin's ConfigEditor, then "Save & test" as Grafana does it:
 * PUT the settings, reload the datasource list, build a fresh instance and run its
 * testDatasource(), which calls the backend's health check.
 */
export function ConfigPage({ uid }: { uid: string }) {
  const styles = useStyles2(getStyles);
  const [plugin, setPlugin] = useState<AnyDataSourcePlugin>();
  const [options, setOptions] = useState<DataSourceSettings>();
  const [result, setResult] = useState<TestResult>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    (async () => {
      const settings = await backendSrv.get<DataSourceSettings>(`/api/datasources/uid/${uid}`);
      const meta = dataSourceSrv.getInstanceSettings(uid)?.meta;
      if (!meta) {
        throw new Error(`no plugin meta for datasource ${uid}`);
      }
      const loaded = await loadDataSourcePlugin(meta.module);
      loaded.meta = meta;
      setOptions(settings);
      setPlugin(loaded);
    })().catch((err) => reportHostError('Loading the datasource settings page', err));
  }, [uid]);

  if (!plugin || !options) {
    return <LoadingPlaceholder text="Loading datasource settings…" />;
  }
  const ConfigEditor = plugin.components.ConfigEditor;
  if (!ConfigEditor) {
    return <Alert title="The plugin has no ConfigEditor" severity="error" />;
  }

  const saveAndTest = async () => {
    setSaving(true);
    setResult({ status: 'testing', message: 'Testing…' });
    try {
      const saved = await backendSrv.put<{ datasource: DataSourceSettings }>(`/api/datasources/uid/${uid}`, options);
      // Grafana forgets the secrets it just sent: from now on only secureJsonFields says they exist.
      setOptions(saved.datasource);
      await dataSourceSrv.reload();
      const instance = await dataSourceSrv.get(uid);
      const test = await instance.testDatasource();
      setResult({
        status: test.status === 'success' ? 'success' : 'error',
        message: test.message,
        details: test.details?.message,
      });
    } catch (err) {
      setResult(describeTestFailure(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className={styles.page}>
      <Stack direction="row" alignItems="center" gap={2}>
        {plugin.meta.info.logos.small && <img src={plugin.meta.info.logos.small} alt="" width={32} height={32} />}
        <div>
          <h2 className={styles.title}>{options.name}</h2>
          <div className={styles.subtitle}>Type: {plugin.meta.name}</div>
        </div>
      </Stack>
      <div className={styles.editor} data-testid="config-editor">
        <ConfigEditor options={options} onOptionsChange={setOptions} />
      </div>
      {result && (
        <div data-testid="health-result" aria-live="polite">
          <Alert
            severity={result.status === 'testing' ? 'info' : result.status}
            title={result.message}
            data-testid={`health-${result.status}`}
          >
            {result.details}
          </Alert>
        </div>
      )}
      <Stack direction="row" gap={1}>
        <Button type="button" variant="primary" onClick={saveAndTest} disabled={saving}>
          Save &amp; test
        </Button>
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ maxWidth: 960, display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  title: css({ margin: 0 }),
  subtitle: css({ color: theme.colors.text.secondary }),
  editor: css({ marginTop: theme.spacing(2) }),
});
