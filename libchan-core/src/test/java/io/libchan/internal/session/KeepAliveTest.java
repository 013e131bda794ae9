package io.libchan.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The keep-alive's schedule on a made-up clock (PROTOCOL.md section 4.5: PING after 30 s of silence, lost 20 s later). */
class KeepAliveTest {
    private static final long S = 1_000_000_000L;

    /** Ticks as the session's timer does, at the delay each tick asks for, until a PING or the loss. */
    private static long runUntil(KeepAlive k, long from, long lastHeard, java.util.function.Predicate<KeepAlive.Decision> stop,
            KeepAlive.Decision[] out) {
        long now = from;
        for (int i = 0; i < 100; i++) {
            KeepAlive.Decision d = k.tick(now, lastHeard, false);
            if (stop.test(d)) {
                out[0] = d;
                return now;
            }
            now += d.delayNanos();
        }
        throw new AssertionError("no decision in 100 ticks");
    }

    @Test
    void firstPingLeavesThirtySecondsAfterTheLastFrameAndTheLossTwentySecondsLater() {
        long start = 1234 * S; // nanoTime has no zero
        KeepAlive k = new KeepAlive(30 * S, 20 * S, true, start);
        long lastHeard = start + 7 * S; // a frame after the session started
        KeepAlive.Decision[] d = new KeepAlive.Decision[1];

        long pingAt = runUntil(k, start + 30 * S, lastHeard, x -> x.pingId() != 0, d); // the session's first tick
        assertEquals(lastHeard + 30 * S, pingAt);
        assertEquals(2, d[0].pingId());

        long lostAt = runUntil(k, pingAt + d[0].delayNanos(), lastHeard, KeepAlive.Decision::lost, d);
        assertEquals(pingAt + 20 * S, lostAt);
    }

    @Test
    void anAnsweredPingIsFollowedByTheNextOneIntervalAfterTheAnswer() {
        long start = 50 * S;
        KeepAlive k = new KeepAlive(10 * S, 20 * S, false, start);
        KeepAlive.Decision[] d = new KeepAlive.Decision[1];
        long firstAt = runUntil(k, start, start, x -> x.pingId() != 0, d);
        assertEquals(start + 10 * S, firstAt);
        assertEquals(1, d[0].pingId());
        long answerAt = firstAt + S;
        k.answered(1);

        long secondAt = runUntil(k, firstAt + d[0].delayNanos(), answerAt, x -> x.pingId() != 0 || x.lost(), d);
        assertEquals(answerAt + 10 * S, secondAt, "interval shorter than the timeout: not held to the timeout's tick");
        assertEquals(3, d[0].pingId(), "client ids are odd and rise");
    }

    /**
     * With a timeout longer than the interval, an answer that comes after the first tick that
     * found none is still followed by the next PING an interval later, not at the timeout of the
     * PING it answered (which held the second PING of a 100 ms / 30 s keep-alive to 30 s).
     */
    @Test
    void aLateAnswerIsFollowedByTheNextPingIntervalAfterItWhenTheTimeoutIsLonger() {
        long start = 50 * S;
        KeepAlive k = new KeepAlive(10 * S, 60 * S, true, start);
        KeepAlive.Decision[] d = new KeepAlive.Decision[1];
        long firstAt = runUntil(k, start, start, x -> x.pingId() != 0, d);
        long tick = firstAt + d[0].delayNanos();
        KeepAlive.Decision unanswered = k.tick(tick, start, false); // no answer yet
        assertFalse(unanswered.lost());
        long answerAt = firstAt + 12 * S;
        k.answered(d[0].pingId());

        long secondAt = runUntil(k, tick + unanswered.delayNanos(), answerAt, x -> x.pingId() != 0 || x.lost(), d);
        assertEquals(answerAt + 10 * S, secondAt);
        assertEquals(4, d[0].pingId());
    }

    @Test
    void onlyTheAnswerToTheCurrentPingCounts() {
        KeepAlive k = new KeepAlive(S, 2 * S, true, 0);
        KeepAlive.Decision first = k.tick(S, 0, false);
        k.answered(first.pingId());
        KeepAlive.Decision second = k.tick(2 * S + 1, S + 1, false);
        assertTrue(second.pingId() > first.pingId());
        k.answered(first.pingId()); // late
        assertFalse(k.tick(3 * S, 2 * S + 2, false).lost());
        assertTrue(k.tick(4 * S + 1, 2 * S + 2, false).lost());
    }

    @Test
    void aHeldBackPeerIsGivenTheWholeIntervalAgain() {
        KeepAlive k = new KeepAlive(30 * S, 20 * S, true, 0);
        assertEquals(2, k.tick(30 * S, 0, false).pingId());
        assertEquals(30 * S, k.tick(49 * S, 0, true).delayNanos());
        KeepAlive.Decision after = k.tick(79 * S, 0, false);
        assertFalse(after.lost());
        assertEquals(4, after.pingId());
    }
}
