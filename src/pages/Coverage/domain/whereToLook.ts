/**
 * The unlinked functions worth reading first. Ranked by cumulative value alone, the list opens
 * with the HTTP server, the runtime and crypto (every unlinked request-handling stack runs under
 * them), and the program's own worker-pool loops and background jobs fall below the cut. Go's
 * standard library and runtime are recognised by their import path: its first element has no dot
 * (`net/http`, `runtime`, `crypto/...`), whereas modules are named by a domain (`github.com/...`);
 * `main` is the program's own.
 */
export function isStandardLibrary(functionName: string): boolean {
  const slash = functionName.indexOf('/');
  const first = slash >= 0 ? functionName.slice(0, slash) : functionName.split('.')[0];
  return first !== 'main' && !first.includes('.') && /^[a-z][a-z0-9_]*$/.test(first);
}

/**
 * Request-serving frameworks every request's stack passes through, linked or not (OpenTelemetry's
 * instrumentation wrappers, gRPC's server loop): like the standard library's HTTP server they rank
 * high and never say why CPU has no trace.
 */
const SERVING_FRAMEWORKS = ['go.opentelemetry.io/contrib/instrumentation/', 'google.golang.org/grpc.'];

export function isServingFramework(functionName: string): boolean {
  return SERVING_FRAMEWORKS.some((prefix) => functionName.startsWith(prefix));
}
