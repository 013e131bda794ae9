package io.libchan.cdi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcurrencyGateTest {

    @Test
    void tasksOverTheLimitWaitUntilAPermitIsReleased() {
        ConcurrencyGate gate = new ConcurrencyGate(2);
        List<String> started = new ArrayList<>();
        gate.acquire(() -> started.add("a"));
        gate.acquire(() -> started.add("b"));
        gate.acquire(() -> started.add("c"));
        gate.acquire(() -> started.add("d"));
        assertEquals(List.of("a", "b"), started);
        gate.release();
        assertEquals(List.of("a", "b", "c"), started);
        gate.release();
        assertEquals(List.of("a", "b", "c", "d"), started);
    }

    @Test
    void zeroMeansNoLimit() {
        ConcurrencyGate gate = new ConcurrencyGate(0);
        List<Integer> started = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            gate.acquire(() -> started.add(n));
        }
        assertEquals(100, started.size());
    }

    @Test
    void idleOnlyOnceEveryPermitIsBackAndNothingWaits() throws InterruptedException {
        ConcurrencyGate gate = new ConcurrencyGate(1);
        gate.acquire(() -> { });
        gate.acquire(() -> { });
        assertFalse(gate.awaitIdle(System.nanoTime()));
        gate.release();
        assertFalse(gate.awaitIdle(System.nanoTime()));
        gate.release();
        assertTrue(gate.awaitIdle(System.nanoTime()));
    }
}
