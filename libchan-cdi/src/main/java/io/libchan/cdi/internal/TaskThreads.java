package io.libchan.cdi.internal;

/**
 * The configured {@code libchan.threads}: how many threads this module's own pool has in Java SE
 * (where there is no container executor), or a virtual thread per task. Immutable.
 *
 * @param threads the pool's size; ignored when {@code virtual}
 * @param virtual a virtual thread per task instead of a pool (Java 21+; unbounded, so the
 *                per-endpoint {@code max-concurrency} is then the only bound)
 */
record TaskThreads(int threads, boolean virtual) {
    /** The value of {@code libchan.threads} that asks for virtual threads. */
    static final String VIRTUAL = "virtual";

    /** Without configuration: four threads per core, at least 8, so a few blocking calls leave room for the rest. */
    static TaskThreads defaults() {
        return new TaskThreads(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()), false);
    }
}
