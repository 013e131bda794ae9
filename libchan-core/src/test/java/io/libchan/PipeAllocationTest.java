package io.libchan;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * What a fresh {@link Pipe} costs in heap: a request/reply client makes one per request for its
 * reply (bench/README.md, issue 14), and most such pipes carry one message to a receiver already
 * waiting, so nothing is ever buffered in them and no sender ever blocks on them. The pipes are
 * kept reachable, so escape analysis removes none of them: the figure is what each one holds.
 */
class PipeAllocationTest {
    private static final int PIPES = 10_000;

    @Test
    void aFreshUnbufferedPipeTakesUnder280Bytes() {
        Pipe[] kept = new Pipe[PIPES];
        for (int i = 0; i < PIPES; i++) {
            kept[i] = Pipe.create(); // warm-up: classes loaded, code compiled
        }
        long before = allocatedByThisThread();
        for (int i = 0; i < PIPES; i++) {
            kept[i] = Pipe.create();
        }
        long perPipe = (allocatedByThisThread() - before) / PIPES;
        // measured on OpenJDK 17: 336 B while a pipe's queue made its buffer and blocked-sender
        // deques up front, 216 B since it makes them on first use
        assertTrue(perPipe < 280, "a pipe took " + perPipe + " bytes");
        assertTrue(kept[PIPES - 1] != null);
    }

    private static long allocatedByThisThread() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "this JVM does not count allocated bytes per thread");
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
