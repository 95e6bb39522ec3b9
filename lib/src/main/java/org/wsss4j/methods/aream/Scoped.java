package org.wsss4j.methods.aream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Runs a computation in its own {@link NDScope}. The model's forward attaches its results to the
 * model's manager (the class tokens come first), so outside a training step's scope every
 * intermediate would live until the model is closed; here all of them are freed at once, except
 * the returned array, which moves to {@code owner}'s manager (and the enclosing scope, if any).
 */
final class Scoped {
    private Scoped() {}

    static NDArray keep(NDArray owner, Supplier<NDArray> fn) {
        NDArray out;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            out = fn.get();
            NDScope.unregister(out);
        }
        out.attach(owner.getManager());
        NDScope.register(out);
        return out;
    }
}
