import { resolveAppSettings } from './appSettings';
import { datasourceProblem, type DatasourceDirectory, settingsProblems } from './currentAppSettings';

const directory: DatasourceDirectory = {
  getInstanceSettings: (uid) =>
    ({
      'spanflame-parca': { type: 'spanflame-parca-datasource', name: 'Spanflame Parca' },
      'prom-1': { type: 'prometheus', name: 'Beyla metrics' },
    })[uid],
};

describe('datasource checks', () => {
  it('accepts a datasource of the right type', () => {
    expect(datasourceProblem('parca', 'spanflame-parca', directory)).toBeUndefined();
  });

  it('names a uid no datasource has, and where to fix it', () => {
    expect(datasourceProblem('traces', 'gone', directory)).toMatch(
      /No datasource has the uid "gone".*trace datasource.*settings page/
    );
  });

  it('names a datasource of the wrong type', () => {
    expect(datasourceProblem('parca', 'prom-1', directory)).toMatch(
      /"Beyla metrics" is a prometheus datasource; it must be spanflame-parca-datasource/
    );
  });

  it('leaves optional datasources alone when unset, and adds value problems', () => {
    const settings = resolveAppSettings({ samplingHz: { parca_agent: 0 } });
    const problems = settingsProblems(settings, directory);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/sampling frequency for "parca_agent" profiles is 0/);
    expect(settingsProblems(resolveAppSettings({ prometheusDatasourceUid: 'gone' }), directory)[0]).toMatch(
      /uid "gone"/
    );
  });
});
