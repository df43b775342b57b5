import { formFromJsonData, formProblems, jsonDataFromForm } from './configForm';

describe('the app config form', () => {
  it('starts from the defaults, and saves them back as jsonData', () => {
    const form = formFromJsonData(undefined);
    expect(form.samplingRows).toEqual([
      { profile: 'parca_agent', hz: '19' },
      { profile: 'process_cpu', hz: '100' },
    ]);
    expect(formProblems(form)).toEqual([]);
    expect(jsonDataFromForm(form).samplingHz).toEqual({ parca_agent: 19, process_cpu: 100 });
  });

  it('keeps a stored bad value in view and says what is wrong with it', () => {
    const form = formFromJsonData({ samplingHz: { parca_agent: 0 } });
    expect(form.samplingRows[0]).toEqual({ profile: 'parca_agent', hz: '0' });
    expect(formProblems(form)[0]).toMatch(/"parca_agent" profiles is 0: it must be a number of Hz above 0/);
  });

  it('names rows without a profile, duplicates and frequencies that are not numbers', () => {
    const problems = formProblems({
      serviceLabel: '',
      samplingRows: [
        { profile: '', hz: '10' },
        { profile: 'wall', hz: '' },
        { profile: 'wall', hz: '5' },
        { profile: 'java', hz: 'fast' },
      ],
    });
    expect(problems).toEqual([
      expect.stringMatching(/row 1 has no profile name/),
      expect.stringMatching(/"wall" has two sampling frequency rows/),
      expect.stringMatching(/"java" profiles is NaN/),
    ]);
  });
});
