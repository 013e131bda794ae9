package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Messages;
import io.libchan.Receiver;
import io.libchan.internal.session.SpdySession;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that ignores flow control (it never sends SETTINGS, as Go) floods a channel over TCP that
 * the application does not read yet: once the session holds 64 MiB unread (PROTOCOL.md section 7:
 * the larger of 64 MiB and 4 x maxMessageBytes), it stops reading the connection, so the peer meets
 * TCP's window; the session stays open, and once the application reads, every message arrives in
 * order.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WireReadPauseTest {
    private static final long SESSION_LIMIT = 64L << 20;
    private static final int PAD = 60 * 1024;
    /** About 100 MiB: well past the limit and whatever the sockets hold. */
    private static final int MESSAGES = 1700;

    private static byte[] message(int seq, String pad) {
        return Msgpack.map("Seq", Msgpack.int16(seq), "Pad", Msgpack.str(pad));
    }

    @Test
    void aFloodOverTcpPausesReadingAtSixtyFourMebibytesAndEveryMessageArrivesOnceRead() throws Exception {
        // 1 MiB messages: 4 x maxMessageBytes is under 64 MiB, so 64 MiB is the limit
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0?maxMessageBytes=1048576");
                RawSpdyPeer go = RawSpdyPeer.connect(listener.uri())) {
            SpdySession server = (SpdySession) listener.accept(WAIT);
            try {
                String pad = "p".repeat(PAD);
                AtomicLong sent = new AtomicLong();
                AtomicReference<Throwable> floodFailure = new AtomicReference<>();
                Thread flood = new Thread(() -> {
                    try {
                        go.openChannel(1, 2);
                        for (int i = 0; i < MESSAGES; i++) {
                            byte[] m = message(i, pad);
                            go.sendData(1, m);
                            sent.addAndGet(m.length);
                        }
                        go.sendFin(1);
                    } catch (Throwable t) {
                        floodFailure.set(t);
                    }
                }, "flood");
                flood.setDaemon(true);
                flood.start();

                awaitPaused(server);
                long in = sent.get(); // written by the peer: what the session holds, plus the sockets' buffers
                assertTrue(in < SESSION_LIMIT + (32L << 20), "the peer got " + in + " bytes in while the session was paused");
                assertTrue(flood.isAlive(), "the whole flood went in while the session was paused");

                Receiver channel = server.waitReceiveChannel(WAIT);
                for (int i = 0; i < MESSAGES; i++) {
                    Object m = channel.receive(Object.class, WAIT);
                    assertEquals((long) i, ((Number) Messages.field(m, "Seq").orElseThrow()).longValue());
                }
                flood.join(WAIT.toMillis());
                assertNull(floodFailure.get(), () -> "the flood failed: " + floodFailure.get());
                assertTrue(server.isOpen(), "the session ended");
            } finally {
                server.abort();
            }
        }
    }

    /**
     * Waits until the session stops reading. There is no event for that, so its state is polled
     * (bounded by a generous timeout); the session must stay open meanwhile.
     */
    private static void awaitPaused(SpdySession s) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (s.readingAllowed()) {
            assertTrue(s.isOpen(), "the flood ended its session instead of pausing it");
            if (System.nanoTime() - deadline > 0) {
                fail("the session never paused");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        assertTrue(s.isOpen(), "the flood ended its session instead of pausing it");
    }
}
