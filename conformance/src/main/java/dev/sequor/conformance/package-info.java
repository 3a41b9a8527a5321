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
 * The kit module {@code requires transitive} core, JUnit Jupiter (api, params) and AssertJ, and
 * opens {@code dev.sequor.conformance} to {@code org.junit.platform.commons}, so JUnit can run the
 * inherited default methods. Surefire 3.5.4 patches test classes into the module under test and
 * makes it read its test dependencies; if a backend's tests fail to see the kit, add
 * {@code --add-reads <backend.module>=dev.sequor.conformance} to the surefire {@code argLine}.
 * The adapter class itself lives in a package of the backend module, which surefire opens to JUnit.
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
