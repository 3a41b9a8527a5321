package dev.sequor.io;

import dev.sequor.nn.Module;

/**
 * How to rebuild one kind of model from its saved configuration: what {@link ModelFile#load} needs to
 * turn a file back into a working module. Found by {@link java.util.ServiceLoader} (declare
 * {@code provides dev.sequor.io.ModelKind with ...} in module-info and in
 * {@code META-INF/services/dev.sequor.io.ModelKind} for the class path) or registered in code with
 * {@link ModelFile#register}.
 */
public interface ModelKind {

    /** @return the kind's name, stored as {@code sequor.kind} (e.g. {@code "charlm"}) */
    String name();

    /**
     * @param configJson the configuration saved with the model ({@code sequor.config})
     * @return a new model of that configuration on the session backend, with freshly initialised weights
     * @throws IllegalArgumentException when the configuration is not valid for this kind, saying why
     */
    Module build(String configJson);
}
