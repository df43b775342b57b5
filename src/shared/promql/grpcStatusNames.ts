import type { DataFrame } from '@grafana/data';

/**
 * gRPC status codes by number (grpc/grpc doc/statuscodes.md). Beyla's current gRPC metrics label a status
 * by its name (`rpc_response_status_code="UNAVAILABLE"`), its earlier ones by its number
 * (`rpc_grpc_status_code="14"`): a legend of both generations should read the same.
 */
const GRPC_STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

/** The label earlier Beyla versions put a gRPC status number in. */
export const NUMERIC_GRPC_STATUS_LABEL = 'rpc_grpc_status_code';

/** "RESOURCE_EXHAUSTED" for "8"; undefined for anything that is not a known status number. */
export function grpcStatusName(code: string): string | undefined {
  if (!/^\d{1,2}$/.test(code)) {
    return undefined;
  }
  return GRPC_STATUS_NAMES[Number(code)];
}

/**
 * Names the series of numeric gRPC statuses by their status name, as the current metrics do. Only the
 * display name changes (the label stays, for Explore and links); other series are left as they are.
 */
export function withGrpcStatusNames(frames: DataFrame[]): DataFrame[] {
  return frames.map((frame) => {
    let changed = false;
    const fields = frame.fields.map((field) => {
      const code = field.labels?.[NUMERIC_GRPC_STATUS_LABEL];
      const name = code === undefined ? undefined : grpcStatusName(code);
      if (name === undefined) {
        return field;
      }
      changed = true;
      return { ...field, config: { ...field.config, displayNameFromDS: name } };
    });
    return changed ? { ...frame, fields } : frame;
  });
}
