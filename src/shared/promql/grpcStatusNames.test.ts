import { FieldType, getFieldDisplayName, toDataFrame } from '@grafana/data';

import { grpcStatusName, withGrpcStatusNames } from './grpcStatusNames';

function series(labels: Record<string, string>, legend: string) {
  return toDataFrame({
    fields: [
      { name: 'Time', type: FieldType.time, values: [1, 2] },
      { name: 'Value', type: FieldType.number, values: [0.1, 0.2], labels, config: { displayNameFromDS: legend } },
    ],
  });
}

describe('gRPC status names', () => {
  it('names each status number and nothing else', () => {
    expect(grpcStatusName('0')).toBe('OK');
    expect(grpcStatusName('8')).toBe('RESOURCE_EXHAUSTED');
    expect(grpcStatusName('16')).toBe('UNAUTHENTICATED');
    expect(grpcStatusName('17')).toBeUndefined();
    expect(grpcStatusName('503')).toBeUndefined();
    expect(grpcStatusName('UNAVAILABLE')).toBeUndefined();
    expect(grpcStatusName('')).toBeUndefined();
  });

  it("gives the earlier metrics' numeric statuses the names the current ones carry, and leaves HTTP alone", () => {
    const frames = withGrpcStatusNames([
      series({ rpc_grpc_status_code: '8' }, '8'),
      series({ rpc_response_status_code: 'UNAVAILABLE' }, 'UNAVAILABLE'),
      series({ http_response_status_code: '503' }, '503'),
    ]);
    expect(frames.map((f) => getFieldDisplayName(f.fields[1], f, frames))).toEqual([
      'RESOURCE_EXHAUSTED',
      'UNAVAILABLE',
      '503',
    ]);
    // The label itself stays, for Explore and data links.
    expect(frames[0].fields[1].labels).toEqual({ rpc_grpc_status_code: '8' });
  });
});
