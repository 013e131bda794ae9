package io.libchan.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.testing.LogCapture;
import io.libchan.Settings;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session a peer breaks leaves one WARNING line naming the peer and the reason, and no stack
 * trace (that goes to the fine level).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireFailedSessionLogTest {

    @Test
    void aBadFrameFromAPeerLogsOneWarningWithThePeersAddress() throws Exception {
        String peer;
        try (LogCapture log = new LogCapture()) {
            try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), Settings.defaults());
                 RawSpdyPeer bad = RawSpdyPeer.connect(listener.uri())) {
                peer = "127.0.0.1:" + bad.localPort();
                listener.accept(RawSpdyPeer.WAIT);
                bad.sendSynStream(1, 0, 0, RawSpdyPeer.rawBlock("Libchan-Ref", "2"));
                bad.expectClosed(RawSpdyPeer.WAIT);
            }
            // sessions of other tests in this JVM may end meanwhile: count the lines about this peer
            String about = peer;
            List<LogRecord> warnings = log.warnings().stream()
                    .filter(r -> r.getMessage() != null && r.getMessage().contains(about)).collect(Collectors.toList());
            assertEquals(1, warnings.size(), "one line: " + LogCapture.text(log.warnings()));
            LogRecord line = warnings.get(0);
            assertTrue(line.getMessage().contains(peer), "names the peer " + peer + ": " + line.getMessage());
            assertTrue(line.getMessage().contains("protocol error"), "says why: " + line.getMessage());
            assertNull(line.getThrown(), "no stack trace at WARNING for a peer's fault");
            assertTrue(log.fine().stream().anyMatch(r -> r.getThrown() != null), "the stack trace is at the fine level");
        }
    }
}
