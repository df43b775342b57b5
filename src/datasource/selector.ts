/**
 * A small reader for the label selectors people type (`{service_name="checkout", job=~"shop.*"}`).
 * The backend parses selectors with Prometheus' parser and is the authority; this one exists so the
 * editor can say what is wrong while the user types, and so the label builder can add or replace a
 * matcher without string surgery.
 */

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export const MATCH_OPERATORS: MatchOperator[] = ['=', '!=', '=~', '!~'];

export interface LabelMatcher {
  name: string;
  operator: MatchOperator;
  value: string;
}

export type ParsedSelector = { ok: true; matchers: LabelMatcher[] } | { ok: false; error: string };

/** Label names with one value per request: never list their values, never group by them. */
export const HIGH_CARDINALITY_LABELS = ['trace_id', 'span_id'];

export function isHighCardinalityLabel(name: string): boolean {
  return HIGH_CARDINALITY_LABELS.includes(name);
}

const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;

/** Parses a selector. Empty text and `{}` select everything; template variables are left to the server. */
export function parseSelector(text: string): ParsedSelector {
  const source = text.trim();
  if (source === '' || source === '{}') {
    return { ok: true, matchers: [] };
  }
  if (!source.startsWith('{')) {
    const brace = source.indexOf('{');
    return brace > 0
      ? fail(
          `starts with "${source.slice(0, brace)}" before "{": choose the profile type above and write only {matchers} here`
        )
      : fail('must start with "{", e.g. {service_name="checkout"}');
  }
  if (!source.endsWith('}')) {
    return fail('is missing the closing "}"');
  }
  const body = source.slice(1, -1);
  const matchers: LabelMatcher[] = [];
  let pos = 0;
  const skipSpace = () => {
    while (pos < body.length && /\s/.test(body[pos])) {
      pos++;
    }
  };
  while (true) {
    skipSpace();
    if (pos >= body.length) {
      break;
    }
    LABEL_NAME.lastIndex = pos;
    const name = LABEL_NAME.exec(body);
    if (!name) {
      return fail(`expected a label name at character ${pos + 2}, found "${body.slice(pos, pos + 10)}"`);
    }
    pos += name[0].length;
    skipSpace();
    const operator = MATCH_OPERATORS.slice()
      .sort((a, b) => b.length - a.length)
      .find((op) => body.startsWith(op, pos));
    if (!operator) {
      return fail(`label ${name[0]} needs an operator (=, !=, =~ or !~) at character ${pos + 2}`);
    }
    pos += operator.length;
    skipSpace();
    const quote = body[pos];
    if (quote !== '"' && quote !== "'" && quote !== '`') {
      return fail(`the value of ${name[0]} must be quoted, e.g. ${name[0]}${operator}"value"`);
    }
    const value = readQuoted(body, pos);
    if (value === undefined) {
      return fail(`the value of ${name[0]} has no closing ${quote}`);
    }
    matchers.push({ name: name[0], operator, value: value.text });
    pos = value.end;
    skipSpace();
    if (pos < body.length) {
      if (body[pos] !== ',') {
        return fail(`expected "," or "}" after ${name[0]}${operator}"${value.text}", found "${body[pos]}"`);
      }
      pos++;
    }
  }
  return { ok: true, matchers };
}

function fail(reason: string): ParsedSelector {
  return { ok: false, error: `Label selector: ${reason}` };
}

function readQuoted(body: string, start: number): { text: string; end: number } | undefined {
  const quote = body[start];
  let text = '';
  for (let i = start + 1; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && quote !== '`' && i + 1 < body.length) {
      const next = body[++i];
      text += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      continue;
    }
    if (c === quote) {
      return { text, end: i + 1 };
    }
    text += c;
  }
  return undefined;
}

/** Renders matchers back to `{name="value", ...}`, quoting values so nothing in them can end the string. */
export function formatSelector(matchers: LabelMatcher[]): string {
  return `{${matchers.map((m) => `${m.name}${m.operator}${JSON.stringify(m.value)}`).join(', ')}}`;
}

/**
 * Adds a matcher, replacing one on the same label with the same operator. Returns undefined when
 * the current text does not parse (the caller shows the parse error instead of rewriting it).
 */
export function withMatcher(selector: string, matcher: LabelMatcher): string | undefined {
  const parsed = parseSelector(selector);
  if (!parsed.ok) {
    return undefined;
  }
  const rest = parsed.matchers.filter((m) => !(m.name === matcher.name && m.operator === matcher.operator));
  return formatSelector([...rest, matcher]);
}

const HEX_32 = /^[0-9a-f]{32}$/i;
const HEX_16 = /^[0-9a-f]{16}$/i;
const TEMPLATE_VARIABLE = /\$\w+|\$\{[^}]+\}|\[\[[^\]]+\]\]/;

/** Text with a template variable is checked after interpolation, by the server. */
export function hasTemplateVariable(text: string): boolean {
  return TEMPLATE_VARIABLE.test(text);
}

/** An error sentence for a trace id, or undefined when it is fine (or empty). */
export function validateTraceId(traceId: string | undefined): string | undefined {
  const id = (traceId ?? '').trim();
  if (id === '' || hasTemplateVariable(id) || HEX_32.test(id)) {
    return undefined;
  }
  if (HEX_16.test(id)) {
    return 'A trace id has 32 hex characters; a 16-character (64-bit) id must be left-padded with 16 zeros';
  }
  return `A trace id has 32 hex characters (0-9, a-f); this one has ${id.length} characters${/[^0-9a-f]/i.test(id) ? ' and non-hex ones' : ''}`;
}

/** An error sentence for a span id, or undefined when it is fine (or empty). */
export function validateSpanId(spanId: string | undefined): string | undefined {
  const id = (spanId ?? '').trim();
  if (id === '' || hasTemplateVariable(id) || HEX_16.test(id)) {
    return undefined;
  }
  return `A span id has 16 hex characters (0-9, a-f); this one has ${id.length} characters${/[^0-9a-f]/i.test(id) ? ' and non-hex ones' : ''}`;
}

/** An error sentence for the selector, or undefined when it parses (or uses variables). */
export function validateSelector(selector: string | undefined): string | undefined {
  const text = selector ?? '';
  if (hasTemplateVariable(text)) {
    return undefined;
  }
  const parsed = parseSelector(text);
  return parsed.ok ? undefined : parsed.error;
}
