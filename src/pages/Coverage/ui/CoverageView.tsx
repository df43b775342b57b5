import { css } from '@emotion/css';
import {
  FieldType,
  formattedValueToString,
  getDisplayProcessor,
  getValueFormat,
  type GrafanaTheme2,
} from '@grafana/data';
import {
  sceneGraph,
  SceneObjectBase,
  SceneObjectUrlSyncConfig,
  type SceneComponentProps,
  type SceneObjectState,
  type SceneObjectUrlValues,
} from '@grafana/scenes';
import { Alert, LoadingPlaceholder, RadioButtonGroup, useStyles2, useTheme2 } from '@grafana/ui';
import React, { useMemo } from 'react';

import {
  type CoverageGroup,
  type CoverageReading,
  readCoverage,
  sortGroups,
} from '../../../panels/coverage/domain/readCoverage';
import { CoverageGroups } from '../../../panels/coverage/ui/CoverageGroups';
import { shareFieldConfig } from '../../../panels/coverage/ui/shareDisplay';
import type { AppSettings } from '../../../shared/appSettings';
import { PROFILE_TYPE_VARIABLE } from '../../../shared/parca/profileTypeVariable';
import { SettingsProblem } from '../../../shared/ui/SettingsProblem';
import { buildCoverageQueryRunner } from '../infrastructure/buildCoverageQueryRunners';
import { answerOf, ServiceReasons } from './ServiceReasons';

interface CoverageViewState extends SceneObjectState {
  /** The service whose reasons are shown; unset: the one with the largest share. */
  service?: string;
  reasons?: ServiceReasons;
}

/**
 * Every service's missing-trace-link share and trend (the `coverage` query grouped by the service
 * label), and one service's reasons below; the chosen service is in the URL (`service`).
 */
export class CoverageView extends SceneObjectBase<CoverageViewState> {
  static Component = CoverageViewRenderer;
  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: ['service'] });

  constructor(readonly settings: AppSettings) {
    super({
      $data: buildCoverageQueryRunner({ parcaUid: settings.parcaDatasourceUid, serviceLabel: settings.serviceLabel }),
    });
    this.addActivationHandler(() => this.onActivate());
  }

  getUrlState() {
    return { service: this.state.service };
  }

  updateFromUrl(values: SceneObjectUrlValues) {
    const service = typeof values.service === 'string' && values.service ? values.service : undefined;
    if (service !== this.state.service) {
      this.selectService(service);
    }
  }

  selectService(service: string | undefined) {
    this.setState({ service });
    this.syncReasons();
  }

  private onActivate() {
    const data = sceneGraph.getData(this);
    this._subs.add(data.subscribeToState(() => this.syncReasons()));
    this.syncReasons();
  }

  /**
   * Shows the reasons of the chosen service, or of the one with the largest share; a new service
   * gets new reasons (their runners are built for it), the same one keeps them.
   */
  private syncReasons() {
    const frames = sceneGraph.getData(this).state.data?.series ?? [];
    const reading = readCoverage(frames);
    const groups = reading.kind === 'coverage' ? namedServices(reading.groups, this.settings.serviceLabel) : [];
    const chosen = groups.find((g) => g.name === this.state.service)?.name ?? groups[0]?.name;
    if (chosen === undefined || chosen === this.state.reasons?.state.service) {
      return;
    }
    this.setState({ reasons: new ServiceReasons(this.settings, chosen) });
  }
}

/**
 * The groups that are services, largest share first: samples without the service label are listed
 * in the table but have no reasons of their own to show (there is no service to select them by).
 */
function namedServices(groups: CoverageGroup[], serviceLabel: string): CoverageGroup[] {
  return sortGroups(groups, 'share').filter((g) => g.labels[serviceLabel] !== undefined);
}

function CoverageViewRenderer({ model }: SceneComponentProps<CoverageView>) {
  const styles = useStyles2(getStyles);
  const { reasons } = model.useState();
  const data = sceneGraph.getData(model).useState().data;
  const answer = answerOf(data, (frames) => readCoverage(frames));

  const problems = model.settings.problems;
  let body: React.ReactNode;
  if (answer.state === 'loading') {
    body = <LoadingPlaceholder text="Asking Parca which samples carry a trace id…" />;
  } else if (answer.state === 'error' && !sceneGraph.interpolate(model, `$${PROFILE_TYPE_VARIABLE}`)) {
    // The profile-type variable lists the CPU types Parca holds in the range: none listed means an
    // empty range, which is a state with its reason, not the query's error about a missing type.
    body = (
      <Alert severity="info" title="No CPU profiles in this range" data-testid="coverage-page-empty">
        Parca holds no CPU profiles in this time range, so there is nothing to measure. Widen the range, or check that
        profiles are being collected.
      </Alert>
    );
  } else if (answer.state === 'error') {
    body = (
      <Alert severity="error" title="Parca could not answer the coverage query">
        {answer.message}
      </Alert>
    );
  } else if (answer.value.kind !== 'coverage') {
    body = (
      <Alert severity="info" title="No profile samples in this range" data-testid="coverage-page-empty">
        {answer.value.kind === 'empty' ? answer.value.reason : answer.value.message}
      </Alert>
    );
  } else {
    body = <Services model={model} reading={answer.value} reasons={reasons} />;
  }
  return (
    <div className={styles.page} data-testid="coverage-page">
      {problems.map((p) => (
        <SettingsProblem key={p} problem={p} />
      ))}
      {body}
    </div>
  );
}

interface ServicesProps {
  model: CoverageView;
  reading: CoverageReading;
  reasons?: ServiceReasons;
}

function Services({ model, reading, reasons }: ServicesProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const config = useMemo(() => shareFieldConfig({}), []);
  const display = useMemo(
    () => getDisplayProcessor({ field: { type: FieldType.number, config }, theme }),
    [config, theme]
  );
  const format = getValueFormat(reading.unit);
  const groups = namedServices(reading.groups, model.settings.serviceLabel);
  return (
    <>
      <section>
        <h3 className={styles.heading}>CPU without a trace link, per service</h3>
        <CoverageGroups
          reading={reading}
          order="share"
          display={display}
          config={config}
          showTrend
          formatValue={(v) => formattedValueToString(format(v))}
        />
      </section>
      {reasons && (
        <section data-testid="coverage-page-service">
          <h3 className={styles.heading}>Why, for one service, largest share first</h3>
          <RadioButtonGroup
            size="sm"
            options={groups.map((g) => ({ label: g.name, value: g.name }))}
            value={reasons.state.service}
            onChange={(v) => model.selectService(v)}
          />
          <reasons.Component model={reasons} />
        </section>
      )}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  heading: css({ fontSize: theme.typography.h4.fontSize, marginBottom: theme.spacing(1) }),
});
