package io.libchan.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a JFR recording ({@code jcmd <pid> JFR.start}) holds of libchan after a known exchange:
 * sessions opened and closed, with the peer, and the protocol error and the refused message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireJfrEventsTest {

    @Test
    void aRecordingHoldsTheSessionsTheProtocolErrorAndTheRefusedMessage() throws Exception {
        Path file = Files.createTempFile("libchan", ".jfr");
        String badPeer;
        String listenerUri;
        try (Recording recording = new Recording()) {
            for (String name : List.of("SessionOpened", "SessionClosed", "ProtocolError", "MessageRefused")) {
                recording.enable("io.libchan." + name);
            }
            recording.start();
            try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), KnownExchange.listenerSettings());
                 KnownExchange x = KnownExchange.run(listener)) {
                listenerUri = listener.uri().toString();
                badPeer = "127.0.0.1:" + x.bad.localPort();
            }
            recording.stop();
            recording.dump(file);
        }
        try {
            List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().startsWith("io.libchan.")).collect(Collectors.toList());

            List<RecordedEvent> opened = named(events, "io.libchan.SessionOpened").stream()
                    .filter(e -> listenerUri.equals(e.getString("listener"))).toList();
            assertEquals(2, opened.size(), "the good and the bad session: " + opened);
            assertTrue(opened.stream().anyMatch(e -> badPeer.equals(e.getString("peer"))), opened.toString());

            RecordedEvent error = only(events, "io.libchan.ProtocolError", badPeer);
            assertEquals("PROTOCOL_ERROR", error.getString("errorType"));
            assertEquals("session", error.getString("scope"));

            RecordedEvent refused = named(events, "io.libchan.MessageRefused").get(0);
            assertEquals("too_large", refused.getString("reason"));
            assertEquals("tcp", refused.getString("transport"));

            RecordedEvent badClosed = only(events, "io.libchan.SessionClosed", badPeer);
            assertNotNull(badClosed.getString("failure"), "the bad session failed");
            assertTrue(badClosed.getLong("bytesReceived") > 0);
            assertTrue(badClosed.getDuration("sessionDuration").toNanos() > 0);
            RecordedEvent goodClosed = named(events, "io.libchan.SessionClosed").stream()
                    .filter(e -> listenerUri.equals(e.getString("listener")) && !badPeer.equals(e.getString("peer")))
                    .findFirst().orElseThrow(() -> new AssertionError("the good session's end: " + events));
            assertEquals(3, goodClosed.getLong("messagesReceived"));
            assertEquals("head", goodClosed.getString("dialect"));
            assertNull(goodClosed.getString("failure"), "aborted by the test: not a failure");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    private static RecordedEvent only(List<RecordedEvent> events, String name, String peer) {
        List<RecordedEvent> found = named(events, name).stream().filter(e -> peer.equals(e.getString("peer"))).toList();
        assertEquals(1, found.size(), name + " of " + peer + " in " + events);
        return found.get(0);
    }
}
