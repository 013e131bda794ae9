package io.libchan.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.libchan.ConnectionLostException;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Undeploying a WAR that mounts libchan ends the sessions its mount served, on every protocol: the
 * client of each, still holding a channel open, is sent GOAWAY, and once the server's drain timeout
 * (1 s here) has passed its session ends with {@link ConnectionLostException} (issue 16: an h2c
 * client stayed connected for ever, its tunnel living on the container's connection, which the
 * undeploy does not close).
 */
@Timeout(90)
class UndeployEndsSessionsTest {
    /** A net for a session that never ends; the assertion is the end itself. */
    private static final long SAFETY_SECONDS = 30;

    @Test
    void undeployEndsEverySessionOfTheMountAfterTheDrainTimeout() throws Exception {
        try (SecuredWar war = SecuredWar.start(Map.of("io.libchan.drainTimeout", "1s"))) {
            List<Transport> clients = new ArrayList<>();
            List<Sender> held = new ArrayList<>();
            try {
                for (String scheme : List.of("h2c", "h2", "ws", "wss")) {
                    URI uri = war.uri(scheme, "alice", scheme.equals("h2") || scheme.equals("wss") ? "insecure=true" : null);
                    Transport client = Libchan.connect(uri, Settings.defaults());
                    clients.add(client);
                    held.add(openChannel(client)); // served, and never closed by either side
                }
                war.undeploy();
                for (Transport client : clients) {
                    ExecutionException ended = assertThrows(ExecutionException.class,
                            () -> client.closeFuture().get(SAFETY_SECONDS, TimeUnit.SECONDS), client::toString);
                    assertInstanceOf(ConnectionLostException.class, ended.getCause(), client::toString);
                    assertFalse(client.isOpen());
                }
            } finally {
                clients.forEach(Transport::abort);
            }
        }
    }

    /** A channel with one message answered on it, left open. */
    private static Sender openChannel(Transport client) {
        Sender channel = client.newSendChannel();
        Pipe reply = Pipe.create();
        channel.send(Map.of("cmd", "echo", "n", 1L, "ret", reply.sender()));
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = reply.receiver().receive(Map.class, Duration.ofSeconds(SAFETY_SECONDS));
        assertEquals(1L, ((Number) answer.get("n")).longValue());
        return channel;
    }
}
