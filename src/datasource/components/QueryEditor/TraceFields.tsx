import React, { useState } from 'react';
import { InlineField, InlineFieldRow, Input } from '@grafana/ui';

import { validateSpanId, validateTraceId } from '../../selector';

interface Props {
  traceId?: string;
  spanId?: string;
  onChange: (ids: { traceId?: string; spanId?: string }) => void;
  onRunQuery: () => void;
}

/**
 * Trace and span ids narrow the profile to samples taken under that request (pprof labels
 * trace_id/span_id). They are typed or pasted, or arrive from a trace link; never listed.
 */
export function TraceFields({ traceId, spanId, onChange, onRunQuery }: Props) {
  const [touched, setTouched] = useState({ trace: false, span: false });
  const traceError = validateTraceId(traceId);
  const spanError = validateSpanId(spanId);
  // Parca stores the ids lowercase; variable names are case-sensitive, so only pure hex is lowered.
  const normalise = (text: string) => {
    const trimmed = text.trim();
    return (/^[0-9a-f]+$/i.test(trimmed) ? trimmed.toLowerCase() : trimmed) || undefined;
  };

  const finish = (which: 'trace' | 'span') => {
    setTouched((t) => ({ ...t, [which]: true }));
    if (!validateTraceId(traceId) && !validateSpanId(spanId)) {
      onRunQuery();
    }
  };

  return (
    <InlineFieldRow>
      <InlineField
        label="Trace ID"
        labelWidth={16}
        tooltip="Only samples taken while this trace ran (pprof label trace_id, 32 hex characters)"
        invalid={touched.trace && Boolean(traceError)}
        error={traceError}
      >
        <Input
          id="parca-trace-id"
          aria-label="Trace ID"
          width={40}
          value={traceId ?? ''}
          placeholder="32 hex characters"
          onChange={(e) => onChange({ traceId: normalise(e.currentTarget.value), spanId })}
          onBlur={() => finish('trace')}
        />
      </InlineField>
      <InlineField
        label="Span ID"
        labelWidth={12}
        tooltip="Only samples taken inside this span (pprof label span_id, 16 hex characters)"
        invalid={touched.span && Boolean(spanError)}
        error={spanError}
      >
        <Input
          id="parca-span-id"
          aria-label="Span ID"
          width={24}
          value={spanId ?? ''}
          placeholder="16 hex characters"
          onChange={(e) => onChange({ traceId, spanId: normalise(e.currentTarget.value) })}
          onBlur={() => finish('span')}
        />
      </InlineField>
    </InlineFieldRow>
  );
}
