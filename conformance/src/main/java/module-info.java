/**
 * The backend test kit: JUnit 5 interfaces whose default test methods check a backend's SPI methods
 * against a double-precision oracle. A backend module's test implements an interface with one line
 * returning its backend.
 */
module dev.sequor.conformance {
    requires transitive dev.sequor.core;
    // The kit is a library of tests: its public interfaces carry JUnit annotations.
    requires transitive org.junit.jupiter.api;
    requires org.assertj.core;

    exports dev.sequor.conformance;
}
