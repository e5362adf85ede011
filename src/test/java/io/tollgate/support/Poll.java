package io.tollgate.support;

import java.util.function.BooleanSupplier;

/** Waits for something asynchronous with a bounded deadline instead of a fixed sleep. */
public final class Poll {
    private Poll() {
    }

    /** True as soon as the condition holds; false if it still does not after {@code seconds}. */
    public static boolean until(int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
