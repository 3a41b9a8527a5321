/**
 * The Sequor backend conformance kit: one suite of JUnit 5 tests that every backend runs over
 * itself through a one-class adapter, checking each SPI primitive against a double-precision
 * oracle written independently of any backend. See {@link dev.sequor.conformance.BackendConformance}.
 */
module dev.sequor.conformance {
    // Adapters extend the kit's types, which mention Backend, JUnit and AssertJ types in their API.
    requires transitive dev.sequor.core;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;
    requires transitive org.assertj.core;

    exports dev.sequor.conformance;

    // JUnit discovers and invokes the kit's @Test default methods and builds its extensions and
    // argument sources reflectively, from the adapter's module; opening the package lets it do so.
    opens dev.sequor.conformance to org.junit.platform.commons;
}
