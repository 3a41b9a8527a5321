package dev.sequor.train;

import dev.sequor.nn.Module;

/** Several modules trained as one, named {@code "0"}, {@code "1"}, ... in the state dict. */
final class ModuleGroup extends Module {
    ModuleGroup(Module... modules) {
        super(modules[0].backend());
        for (int i = 0; i < modules.length; i++) {
            registerModule(Integer.toString(i), modules[i]);
        }
    }
}
