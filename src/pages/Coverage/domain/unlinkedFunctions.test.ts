import { type CoverageFunction, readCoverage } from '../../../panels/coverage/domain/readCoverage';
import { recordedFrames } from '../../../panels/coverage/testing/frames';
import { enclosingFunction, rankUnlinkedFunctions } from './unlinkedFunctions';

const HOTPATH = 'github.com/acme/shop/internal/hotpath.';
const fn = (name: string, cumulative: number, linked?: number): CoverageFunction => ({
  name,
  flat: 0,
  cumulative,
  ...(linked === undefined ? {} : { linked }),
});
const names = (functions: Array<{ name: string }>) => functions.map((f) => f.name);

describe('rankUnlinkedFunctions', () => {
  it('ranks work that only runs outside requests above busier code that mostly runs under a trace', () => {
    const ranked = rankUnlinkedFunctions(
      [
        // The route's handler: the most unlinked CPU, but 90% of it runs under the request's trace.
        fn(`${HOTPATH}SearchCatalog`, 500, 4500),
        fn('github.com/acme/shop/internal/service.(*Service).runWork', 900, 5000),
        fn(`${HOTPATH}WriteAuditTrail`, 300, 0),
        // A background job that ran for a moment of the range still outranks them.
        fn(`${HOTPATH}ReindexInventory`, 60, 0),
      ],
      1000
    );
    expect(names(ranked)).toEqual([
      `${HOTPATH}WriteAuditTrail`,
      'github.com/acme/shop/internal/service.(*Service).runWork',
      `${HOTPATH}ReindexInventory`,
      `${HOTPATH}SearchCatalog`,
    ]);
    const audit = ranked[0];
    expect(audit).toMatchObject({ unlinked: 300, linked: 0, ownShare: 100, ofUnlinked: 30, explains: 300 });
    // 900² / 5900: the unlinked value weighted by its own unlinked share (15.3%).
    expect(ranked[1].ownShare).toBeCloseTo(15.25, 2);
    expect(ranked[1].explains).toBeCloseTo(137.3, 1);
    expect(ranked[3].ownShare).toBe(10);
  });

  it("leaves out the runtime, the standard library and the serving frameworks' wrappers", () => {
    const ranked = rankUnlinkedFunctions([
      fn('runtime.gcBgMarkWorker', 1000, 0),
      fn('net/http.(*conn).serve', 900, 100),
      fn('go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp.(*middleware).serveHTTP', 800, 100),
      fn('google.golang.org/grpc.(*Server).handleStream', 700, 100),
      fn('go.opentelemetry.io/otel/sdk/trace.(*batchSpanProcessor).processQueue', 50, 0),
      fn(`${HOTPATH}WriteAuditTrail`, 40, 0),
    ]);
    expect(names(ranked)).toEqual([
      'go.opentelemetry.io/otel/sdk/trace.(*batchSpanProcessor).processQueue',
      `${HOTPATH}WriteAuditTrail`,
    ]);
  });

  it('folds a closure into its enclosing function when that is listed, and keeps it otherwise', () => {
    const ranked = rankUnlinkedFunctions([
      fn(`${HOTPATH}ReindexInventory.func1`, 60, 0),
      fn(`${HOTPATH}ReindexInventory`, 60, 0),
      fn('github.com/acme/shop/internal/unlinked.(*Runner).goUnlabeled.func1', 100, 0),
    ]);
    expect(names(ranked)).toEqual([
      'github.com/acme/shop/internal/unlinked.(*Runner).goUnlabeled.func1',
      `${HOTPATH}ReindexInventory`,
    ]);
  });

  it('without linked totals, ranks by unlinked value and claims no own share', () => {
    const ranked = rankUnlinkedFunctions([fn('main.a', 10), fn('main.b', 30), fn('main.zero', 0)]);
    expect(names(ranked)).toEqual(['main.b', 'main.a']);
    expect(ranked[0].ownShare).toBeUndefined();
    expect(ranked[0].ofUnlinked).toBeUndefined();
  });

  it('is empty for no functions', () => {
    expect(rankUnlinkedFunctions([], 0)).toEqual([]);
  });
});

describe("rankUnlinkedFunctions on the backend's recorded answer (payments, the real Parca)", () => {
  const DEMO = 'github.com/spanflame/spanflame/demo/shop/internal/';
  const result = readCoverage(recordedFrames('coverage_payments'));
  const reading = result.kind === 'coverage' ? result : undefined;
  const ranked = rankUnlinkedFunctions(reading?.topFunctions ?? [], reading?.overall.unlinked);

  it("names the demo's unlinked work first: the background job and the work before the labels, wholly unlinked", () => {
    expect(names(ranked)).toEqual([
      `${DEMO}unlinked.(*Runner).goUnlabeled.func1`,
      `${DEMO}unlinked.(*Runner).topUp`,
      `${DEMO}hotpath.ReindexInventory`,
      `${DEMO}unlinked.(*Runner).RunInline`,
      `${DEMO}hotpath.VerifyRequestSignature`,
    ]);
    expect(ranked.map((f) => f.ownShare)).toEqual([100, 100, 100, 100, 100]);
    // 0.85 s of the service's 2.35 s without a trace link ran in the background job.
    expect(ranked[2].ofUnlinked).toBeCloseTo(36.17, 2);
  });
});

describe('enclosingFunction', () => {
  it("names the function a closure is written in, as Go's names say", () => {
    expect(enclosingFunction('pkg/a.F.func1')).toBe('pkg/a.F');
    expect(enclosingFunction('pkg/a.F.func1.2')).toBe('pkg/a.F');
    expect(enclosingFunction('pkg/a.(*T).M.gowrap1')).toBe('pkg/a.(*T).M');
    expect(enclosingFunction('pkg/a.F')).toBeUndefined();
    expect(enclosingFunction('pkg/a.functional')).toBeUndefined();
  });
});
