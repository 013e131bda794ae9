package io.libchan.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.libchan.ChannelTimeoutException;
import io.libchan.Settings;
import java.io.FileDescriptor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Send windows as the peer's SETTINGS and WINDOW_UPDATEs set them. A stream's window is the peer's
 * initial window plus its own balance, so SETTINGS apply to every stream, even one that is being
 * opened at that moment and is not yet registered with the session. (Such a stream once kept
 * SPDY's 64 KiB while the peer, a Java libchan, credited in batches of half its announced 1 MiB:
 * after 64 KiB of small messages its sender waited forever. Seen as a benchmark that hung.)
 */
class FlowControlTest {
    private static final int MIB = 1 << 20;
    private final SpdySession session = new SpdySession(new DiscardingWire(), false, Settings.defaults(),
            SessionThreads.executor());
    private final FlowControl flow = session.flow();

    @AfterEach
    void close() {
        session.abort();
    }

    private static long soon() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    }

    @Test
    void aStreamNotYetRegisteredGetsTheWindowOfSettingsThatArriveMeanwhile() {
        SessionStream opening = new SessionStream(session, 1, 1, true, true, null);
        flow.onSettings(MIB);
        assertEquals(MIB, flow.acquire(opening, MIB, true, soon()));
    }

    @Test
    void settingsThatShrinkTheWindowCountWhatWasAlreadySent() {
        SessionStream s = new SessionStream(session, 1, 1, true, true, null);
        flow.onSettings(MIB);
        assertEquals(600 * 1024, flow.acquire(s, 600 * 1024, true, soon()));
        flow.onSettings(512 * 1024); // 88 KiB over: nothing may be sent until credit covers it
        assertThrows(ChannelTimeoutException.class, () -> flow.acquire(s, 1, false, soon()));
        flow.onWindowUpdate(s, 200 * 1024);
        assertEquals(112 * 1024, flow.acquire(s, MIB, false, soon()));
    }

    @Test
    void beforeAnySettingsNothingWaitsButBytesSentStillCount() {
        SessionStream s = new SessionStream(session, 1, 1, true, true, null);
        assertEquals(2 * MIB, flow.acquire(s, 2 * MIB, true, soon())); // Go never sends SETTINGS: no limit
        flow.onSettings(3 * MIB);
        assertEquals(MIB, flow.acquire(s, 4 * MIB, false, soon()));
    }

    /** A connection that takes every frame and goes nowhere. */
    private static final class DiscardingWire implements Wire {
        @Override
        public void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String describe() {
            return "discarding wire";
        }
    }
}
