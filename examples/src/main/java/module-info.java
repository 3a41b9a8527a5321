/** Runnable examples for the course's applications (not a library; exported only for the tests' sake). */
module dev.sequor.examples {
    requires dev.sequor.core;
    requires dev.sequor.nn.recurrent;

    exports dev.sequor.examples;
}
