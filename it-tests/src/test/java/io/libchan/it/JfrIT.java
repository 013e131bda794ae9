package io.libchan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.example.hello.Greeting;
import io.libchan.example.hello.HelloRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an operator gets from {@code jcmd <pid> JFR.start} on a production WildFly: the demo WAR
 * (whose {@code jboss-deployment-structure.xml} gives it the {@code jdk.jfr} module) records
 * libchan's {@code io.libchan.SessionOpened} and {@code SessionClosed} events of a call on its raw
 * server, with the listener, the transport and the messages the session read.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JfrIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DemoWar.archive();
    }

    @Test
    void aJcmdRecordingOfTheServerHoldsACallsSession() throws Exception {
        long pid = wildFlyPid();
        String recording = "libchan-it-" + ProcessHandle.current().pid();
        Path file = Files.createTempFile("libchan-it", ".jfr");
        jcmd(pid, "JFR.start", "name=" + recording);
        try {
            call();
            String listener = "tcp://127.0.0.1:" + DemoWar.libchanPort();
            List<RecordedEvent> events = new ArrayList<>();
            // the server's session ends a moment after the client's close: dump until its end is in
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                jcmd(pid, "JFR.dump", "name=" + recording, "filename=" + file.toAbsolutePath());
                events.clear();
                events.addAll(libchanEvents(file, listener));
                return events.stream().anyMatch(e -> e.getEventType().getName().equals("io.libchan.SessionClosed"));
            });
            RecordedEvent opened = events.stream().filter(e -> e.getEventType().getName().equals("io.libchan.SessionOpened"))
                    .findFirst().orElseThrow(() -> new AssertionError("no SessionOpened in " + events));
            assertEquals("tcp", opened.getString("transport"));
            assertFalse(opened.getString("peer").isEmpty(), "the peer's address");
            RecordedEvent closed = events.stream().filter(e -> e.getEventType().getName().equals("io.libchan.SessionClosed"))
                    .findFirst().orElseThrow();
            assertTrue(closed.getLong("messagesReceived") >= 1, "the hello request: " + closed);
        } finally {
            jcmd(pid, "JFR.stop", "name=" + recording);
            Files.deleteIfExists(file);
        }
    }

    /** One call of {@code hello} on the demo's raw server. */
    private static void call() {
        try (Transport session = Libchan.connect(DemoWar.libchanUri())) {
            Pipe ret = Pipe.create();
            Sender hello = session.newSendChannel("hello");
            hello.send(new HelloRequest("jfr", ret.sender()), WAIT);
            hello.close();
            assertEquals(new Greeting("hello, jfr"), ret.receiver().receive(Greeting.class, WAIT));
        }
    }

    private static List<RecordedEvent> libchanEvents(Path file, String listener) throws IOException {
        if (Files.size(file) == 0) {
            return List.of();
        }
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("io.libchan.Session"))
                .filter(e -> e.getString("listener") != null && e.getString("listener").startsWith(listener))
                .toList();
    }

    /**
     * The pid of the WildFly Arquillian started: the JVM running {@code jboss-modules.jar} from the
     * it-tests' WildFly home.
     */
    private static long wildFlyPid() {
        String home = System.getProperty("it.wildfly.home");
        List<ProcessHandle> found = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("jboss-modules.jar") && c.contains(home)).orElse(false))
                .toList();
        assertEquals(1, found.size(), "the WildFly of " + home + " among the processes: " + found);
        return found.get(0).pid();
    }

    /** Runs the JDK's {@code jcmd} (beside this JVM's {@code java}) on {@code pid}; fails on a non-zero exit. */
    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        List<String> args = new ArrayList<>(List.of(java.resolveSibling("jcmd").toString(), Long.toString(pid)));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jcmd " + String.join(" ", command));
        assertEquals(0, p.exitValue(), "jcmd " + String.join(" ", command) + ": " + out);
    }
}
