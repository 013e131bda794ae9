package io.libchan.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.MessageListener;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
    private static final String TEXT = "x".repeat(64);
    private static final int ROUND_TRIPS = 2_000;

    public record Request(String cmd, Sender ret) {
    }

    public record Reply(String body) {
    }

    private Listener listener;
    private Transport server;
    private Transport client;

    @BeforeEach
    void connect() throws Exception {
        listener = Libchan.listen("tcp://127.0.0.1:0");
        CompletableFuture<Transport> accepted = listener.acceptAsync();
        client = Libchan.connect(listener.uri().toString());
        server = accepted.get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void roundTripsWithFreshReplyChannelsInflateNoMonitorOfTheSessionToHashIt() throws Exception {
        Sender requests = client.newSendChannel();
        requests.send(new Request(TEXT, null)); // opens the channel: the server takes it now
        Receiver channel = server.waitReceiveChannel();
        channel.subscribe(Request.class, Runnable::run, new Echo());
        Path file = Files.createTempFile("round-trip-monitors", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.JavaMonitorInflate").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            for (int i = 0; i < ROUND_TRIPS; i++) {
                Pipe reply = Pipe.create();
                requests.send(new Request(TEXT, reply.sender()));
                assertEquals(TEXT, reply.receiver().receive(Reply.class, Duration.ofSeconds(30)).body());
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

    /** Answers on the request's reply channel and closes it. */
    private static final class Echo implements MessageListener<Request> {
        @Override
        public void onMessage(Request request) {
            if (request.ret() == null) {
                return;
            }
            request.ret().send(new Reply(request.cmd()));
            request.ret().close();
        }
    }
}
