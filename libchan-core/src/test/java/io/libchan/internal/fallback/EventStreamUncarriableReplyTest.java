package io.libchan.internal.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.MessageTypeException;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.internal.codec.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A reply an event stream cannot carry (a Sender in it) fails the application's send and tells the
 * client so with an {@code error} event on the reply channel, as a JSON call gets 406: the stream
 * used to end with a bare {@code end} once the application closed its reply channel, which read as
 * a reply that had nothing to say.
 */
@Timeout(60)
class EventStreamUncarriableReplyTest {
    /** Records the events of the response, and its end. */
    private static final class Events implements CallResponse {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);

        @Override
        public void respond(int status, String contentType, byte[] body) {
            events.add("respond " + status);
            ended.countDown();
        }

        @Override
        public void startEvents() {
        }

        @Override
        public void event(String name, String data) {
            events.add(name + " " + data);
        }

        @Override
        public void comment() {
        }

        @Override
        public void end() {
            ended.countDown();
        }
    }

    @Test
    void aReplyCarryingASenderIsAnErrorEventOnTheReplyChannel() throws Exception {
        Events response = new Events();
        CallSession session = CallSession.open(new JsonCodec(Settings.defaults()), "{\"cmd\":\"hi\"}".getBytes(StandardCharsets.UTF_8),
                null, null, true, response, Runnable::run);
        @SuppressWarnings("unchecked")
        Map<String, Object> request = session.waitReceiveChannel().receive(Map.class);
        Sender ret = (Sender) request.get("ret");
        Pipe back = Pipe.create();
        assertThrows(MessageTypeException.class, () -> ret.send(Map.of("back", back.sender())));
        ret.close(); // what an application does next: nothing more to say
        assertTrue(response.ended.await(30, TimeUnit.SECONDS), "the event stream ended");
        assertEquals(1, response.events.size(), response.events.toString());
        String event = response.events.get(0);
        assertTrue(event.startsWith("error {\"channel\":0,\"error\":{\"type\":\"not-acceptable\""), event);
        assertTrue(event.contains("Sender"), event);
    }
}
