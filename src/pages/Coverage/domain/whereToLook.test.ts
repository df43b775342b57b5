import { isServingFramework, isStandardLibrary } from './whereToLook';

describe('the frames that never say why CPU has no trace', () => {
  it("tells Go's standard library and runtime from a program's own functions", () => {
    for (const name of ['net/http.HandlerFunc.ServeHTTP', 'runtime.goexit', 'crypto/internal/fips140/sha256.block']) {
      expect(isStandardLibrary(name)).toBe(true);
    }
    for (const name of [
      'github.com/acme/shop/internal/hotpath.WriteAuditTrail',
      'main.run.(*Service).Handler.func3',
      'go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp.(*middleware).serveHTTP',
    ]) {
      expect(isStandardLibrary(name)).toBe(false);
    }
  });

  it("tells the request-serving frameworks' wrappers, which every request runs under, from other modules", () => {
    expect(
      isServingFramework('go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp.(*middleware).serveHTTP')
    ).toBe(true);
    expect(isServingFramework('google.golang.org/grpc.(*Server).handleStream')).toBe(true);
    expect(isServingFramework('go.opentelemetry.io/otel/sdk/trace.(*batchSpanProcessor).processQueue')).toBe(false);
  });
});
