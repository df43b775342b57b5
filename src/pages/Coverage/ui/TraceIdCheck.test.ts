import { FieldType, LoadingState, type PanelData, toDataFrame } from '@grafana/data';

import { traceRefId } from '../domain/traceIdSample';
import { traceIdCheckAnswer } from './TraceIdCheck';

const panel = (state: LoadingState, series = [toDataFrame({ fields: [] })], errors?: PanelData['errors']) =>
  ({ state, series, errors }) as PanelData;

const sample = toDataFrame({
  name: 'trace ids by value',
  meta: { custom: { traceIdsInRange: 40, limit: 20 } },
  fields: [
    { name: 'traceId', type: FieldType.string, values: ['a'.repeat(32), 'b'.repeat(32)] },
    { name: 'value', type: FieldType.number, values: [9, 8] },
  ],
});

describe('traceIdCheckAnswer', () => {
  it('says which step it is at: Parca first, then the lookups, naming how many', () => {
    expect(traceIdCheckAnswer(panel(LoadingState.Loading), undefined, 'Jaeger')).toEqual({
      state: 'loading',
      progress: 'Asking Parca for the trace ids carrying the most CPU…',
    });
    expect(traceIdCheckAnswer(panel(LoadingState.Done, [sample]), panel(LoadingState.Loading), 'Jaeger')).toEqual({
      state: 'loading',
      progress: "Looking up Parca's 2 trace ids with the most CPU in Jaeger (at most 20)…",
    });
  });
  it('answers once the lookups are in, and says when Parca failed', () => {
    const lookups = panel(
      LoadingState.Error,
      [toDataFrame({ refId: traceRefId(0), fields: [{ name: 'x', values: [1] }] })],
      [{ refId: traceRefId(1), message: 'not found', data: { error: 'not-found' } }]
    );
    const answer = traceIdCheckAnswer(panel(LoadingState.Done, [sample]), lookups, 'Jaeger');
    expect(answer.state === 'done' && answer.value).toMatchObject({ checked: 2, inWindow: 40, failed: 0 });
    expect(answer.state === 'done' && answer.value.missing.map((t) => t.traceId[0])).toEqual(['b']);
    expect(
      traceIdCheckAnswer(panel(LoadingState.Error, [], [{ message: 'Parca is down' }]), undefined, 'Jaeger')
    ).toEqual({ state: 'error', message: 'Parca is down' });
  });
  it('needs no lookups when Parca holds no trace ids', () => {
    const answer = traceIdCheckAnswer(panel(LoadingState.Done, [toDataFrame({ fields: [] })]), undefined, 'Jaeger');
    expect(answer).toMatchObject({ state: 'done', value: { checked: 0, failed: 0 } });
  });
});
