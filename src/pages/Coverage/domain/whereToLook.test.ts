import { isStandardLibrary, whereToLook } from './whereToLook';

describe('whereToLook', () => {
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

  it("leaves out the request-serving frameworks' wrappers, which every request runs under", () => {
    const fn = (name: string) => ({ name, flat: 0, cumulative: 1 });
    const listed = whereToLook(
      [
        fn('go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp.(*middleware).serveHTTP'),
        fn('google.golang.org/grpc.(*Server).handleStream'),
        fn('github.com/acme/shop/internal/hotpath.WriteAuditTrail'),
        fn('go.opentelemetry.io/otel/sdk/trace.(*batchSpanProcessor).processQueue'),
      ],
      10
    );
    expect(listed.map((f) => f.name)).toEqual([
      'github.com/acme/shop/internal/hotpath.WriteAuditTrail',
      'go.opentelemetry.io/otel/sdk/trace.(*batchSpanProcessor).processQueue',
    ]);
  });
  it('keeps the ranking and the limit', () => {
    const fn = (name: string, cumulative: number) => ({ name, flat: 0, cumulative });
    const listed = whereToLook(
      [
        fn('net/http.(*conn).serve', 9),
        fn('github.com/a/b.Pool', 5),
        fn('runtime.mcall', 4),
        fn('main.job', 3),
        fn('x.io/c.D', 1),
      ],
      2
    );
    expect(listed.map((f) => f.name)).toEqual(['github.com/a/b.Pool', 'main.job']);
  });
});
