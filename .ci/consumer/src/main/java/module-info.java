/** A user's module: it needs only the recurrent layers (and core through them); the backend is a runtime choice. */
module com.example.consumer {
    requires dev.sequor.nn.recurrent;
}
