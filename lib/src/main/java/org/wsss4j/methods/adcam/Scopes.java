package org.wsss4j.methods.adcam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/** The scoping idiom of every operator here: intermediates die with the scope, inputs survive. */
final class Scopes {
    private Scopes() {}

    /**
     * A sub-manager of the first input's manager with every input temporarily attached, so each
     * operation's result lands in it; {@code scope.ret(x)} hands a result to the caller's manager,
     * and closing the scope returns the inputs to their own managers. An array passed twice is
     * attached once: attaching it again would record the scope as its home and lose it on close.
     */
    static NDManager of(NDArray... inputs) {
        NDManager scope = NDManager.subManagerOf(inputs[0]);
        List<NDArray> seen = new ArrayList<>();
        for (NDArray a : inputs) {
            if (seen.stream().noneMatch(s -> s == a)) {
                seen.add(a);
                scope.tempAttachAll(a);
            }
        }
        return scope;
    }
}
