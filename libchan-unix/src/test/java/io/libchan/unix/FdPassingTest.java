package io.libchan.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/** File descriptors cross from this JVM to another one over unix:// as real descriptors (SCM_RIGHTS). */
class FdPassingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Process peer;
    private static Transport session;
    private static Sender requests;

    @BeforeAll
    static void startPeerJvm() throws Exception {
        Path dir = Files.createTempDirectory("libchan-fd");
        Path sock = dir.resolve("peer.sock");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        peer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FdPeer.class.getName(), sock.toString())
                .redirectError(dir.resolve("peer.err").toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", out.readLine(), () -> "peer JVM did not start: " + read(dir.resolve("peer.err")));
        session = Libchan.connect(URI.create("unix://" + sock), Settings.defaults());
        requests = session.newSendChannel();
        // the first exchange completes the libchan-ext handshake that turns fd passing on
        assertEquals(Map.of("got", "hello"), call(Map.of("value", "hello")));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(no output)";
        }
    }

    @AfterAll
    static void stopPeerJvm() throws Exception {
        if (session != null) {
            session.close();
        }
        if (peer != null) {
            peer.destroy();
            peer.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Map<?, ?> call(Map<String, Object> message) {
        Pipe reply = Pipe.create();
        Map<String, Object> m = new LinkedHashMap<>(message);
        m.put("ret", reply.sender());
        requests.send(m);
        return reply.receiver().receive(Map.class, WAIT);
    }

    @Test
    void fileDescriptorArrivesAsARealDescriptorInTheOtherJvm() throws Exception {
        File file = File.createTempFile("libchan-fd", ".txt");
        Files.writeString(file.toPath(), "the same open file, not a copy");
        try (FileInputStream in = new FileInputStream(file)) {
            Map<?, ?> reply = call(Map.of("file", in.getFD()));
            assertEquals(true, reply.get("passed"), "the peer got a FileDescriptor, not a byte stream");
            assertEquals("the same open file, not a copy", reply.get("text"));
            assertNotEquals(ProcessHandle.current().pid(), ((Number) reply.get("pid")).longValue());
        }
    }

    @Test
    void socketDescriptorLetsTheOtherJvmWriteStraightIntoOurSocket() throws Exception {
        try (AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
            AFUNIXSocket mine = (AFUNIXSocket) pair.getSocket1().socket();
            AFUNIXSocket theirs = (AFUNIXSocket) pair.getSocket2().socket();
            Map<?, ?> reply = call(Map.of("socket", theirs.getFileDescriptor()));
            assertEquals(Map.of("wrote", true), reply);
            BufferedReader in = new BufferedReader(new InputStreamReader(mine.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            assertTrue(line.startsWith("hello from pid ") && !line.equals("hello from pid " + ProcessHandle.current().pid()), line);
        }
    }
}
