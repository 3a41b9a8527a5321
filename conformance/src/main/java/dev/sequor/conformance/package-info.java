/**
 * The backend conformance kit: one JUnit 5 suite that every Sequor backend runs over itself.
 *
 * <h2>Adopting the kit (one class)</h2>
 * In the backend module's {@code pom.xml}, add {@code sequor-conformance} with test scope. Then in
 * {@code src/test/java}, in the backend's own package (tests are patched into the backend module):
 *
 * <pre>{@code
 * package dev.sequor.backend.simd;
 *
 * import dev.sequor.conformance.BackendConformance;
 * import dev.sequor.core.Backends;
 * import dev.sequor.spi.Backend;
 *
 * class SimdConformanceTest implements BackendConformance {
 *     @Override
 *     public Backend backend() {
 *         return Backends.get("cpu-simd");
 *     }
 * }
 * }</pre>
 *
 * <h2>Module path</h2>
 * Nothing to configure: checked with surefire 3.5.4 and a module whose main code requires only
 * {@code dev.sequor.core}. There the kit is a test-scope dependency, so surefire puts it, JUnit and
 * AssertJ on the class path, patches the test classes into the backend module, opens the test
 * package to the unnamed module and adds {@code --add-reads <module>=ALL-UNNAMED}; the adapter's
 * inherited default methods run like its own. When the kit itself is on the module path (its own
 * tests), {@code module-info} {@code requires transitive} core, JUnit Jupiter (api, params) and
 * AssertJ and opens {@code dev.sequor.conformance} to {@code org.junit.platform.commons}.
 *
 * <h2>Missing hardware and skips</h2>
 * A backend that may be absent (OpenCL) returns
 * {@link dev.sequor.conformance.BackendLookup#availableOrSkip(String, String)} from
 * {@code backend()}: the tests are then skipped with the provider's reason, or fail when the
 * named environment variable requires the backend. To skip one kit test, override it in the
 * adapter with {@code @Test @Disabled("why")}: an override without {@code @Test} would hide the
 * test silently, which the kit forbids.
 *
 * <h2>Tolerances</h2>
 * Results are compared as {@code |actual - expected| <= atol + rtol * |expected|} against an exact
 * double oracle ({@link dev.sequor.conformance.Oracle} and friends), with one {@link
 * dev.sequor.conformance.Tolerance} per {@link dev.sequor.conformance.OpFamily}. Ops exact by
 * contract (copies, comparisons, selection, uniform and Bernoulli random draws) have no hook.
 *
 * <h2>Extending the kit</h2>
 * Tests for new kernels (e.g. a fused LSTM cell) use the same pieces: an oracle in double, inputs
 * from {@link dev.sequor.conformance.Inputs}, {@link dev.sequor.conformance.KitAssertions#assertClose}
 * for a report of the worst element, {@link dev.sequor.conformance.OpFamily#FUSED} for the
 * tolerance, and a new interface extending {@link dev.sequor.conformance.BackendUnderTest} that
 * {@link dev.sequor.conformance.BackendConformance} then extends.
 */
package dev.sequor.conformance;
