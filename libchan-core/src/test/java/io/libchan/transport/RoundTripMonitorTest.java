package io.libchan.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request/reply round trip over a loopback TCP session makes the JVM inflate no monitor of the
 * session's classes to store an identity hash. An inflated monitor is a malloc'd native object, made and later deflated by
 * the JVM, per object: when the session hashed each stream while its reader held the stream's lock
 * (the identity hash then lives in an inflated monitor), that was 1.5% of a round trip's CPU
 * (bench/README.md, issue 14). JFR's {@code jdk.JavaMonitorInflate} reports each inflation.
 */
class RoundTripMonitorTest {
    private static final int ROUND_TRIPS = 2_000;

    private EchoSession session;

    @BeforeEach
    void connect() throws Exception {
        session = new EchoSession();
    }

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void roundTripsWithFreshReplyChannelsInflateNoMonitorOfTheSessionToHashIt() throws Exception {
        Path file = Files.createTempFile("round-trip-monitors", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.JavaMonitorInflate").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            for (int i = 0; i < ROUND_TRIPS; i++) {
                assertEquals(EchoSession.TEXT, session.roundTrip());
            }
            recording.stop();
            recording.dump(file);
            List<String> inflated = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("jdk.JavaMonitorInflate"))
                    .filter(RoundTripMonitorTest::ofLibchan)
                    .filter(RoundTripMonitorTest::forAHash)
                    .map(RoundTripMonitorTest::describe)
                    .distinct()
                    .collect(Collectors.toList());
            assertEquals(List.of(), inflated, "monitors of libchan objects inflated during " + ROUND_TRIPS + " round trips");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static boolean ofLibchan(RecordedEvent e) {
        RecordedClass c = e.getClass("monitorClass");
        return c != null && c.getName().startsWith("io.libchan.internal.");
    }

    /** Contention may inflate a monitor (that is what monitors are for); a hash never needs to. */
    private static boolean forAHash(RecordedEvent e) {
        return String.valueOf(e.getString("cause")).contains("Hash");
    }

    private static String describe(RecordedEvent e) {
        return e.getClass("monitorClass").getName() + " (" + e.getString("cause") + ")";
    }
}
