package io.libchan.internal.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.libchan.ConnectionLostException;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.internal.codec.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An HTTP/1.1 call as a session: its end is reported like any session's. */
class CallSessionTest {
    /** Records the one whole response. */
    private static final class Recorded implements CallResponse {
        volatile int status;

        @Override
        public void respond(int status, String contentType, byte[] body) {
            this.status = status;
        }

        @Override
        public void startEvents() {
            throw new AssertionError("not an event stream");
        }

        @Override
        public void event(String name, String data) {
            throw new AssertionError("not an event stream");
        }

        @Override
        public void comment() {
        }

        @Override
        public void end() {
        }
    }

    private static CallSession call(CallResponse response) throws CallFailure {
        return CallSession.open(new JsonCodec(Settings.defaults()), "{\"cmd\":\"hi\"}".getBytes(StandardCharsets.UTF_8),
                null, null, false, response, Runnable::run);
    }

    @Test
    void closeFutureCompletesOnceTheReplyIsSent() throws Exception {
        Recorded response = new Recorded();
        CallSession session = call(response);
        CompletableFuture<Void> end = session.closeFuture();
        @SuppressWarnings("unchecked")
        Map<String, Object> request = session.waitReceiveChannel().receive(Map.class);
        assertFalse(end.isDone());
        ((Sender) request.get("ret")).send(Map.of("ok", true));
        end.get(30, TimeUnit.SECONDS);
        assertEquals(200, response.status);
    }

    @Test
    void closeFutureFailsWithConnectionLostWhenTheCallIsAborted() throws Exception {
        Recorded response = new Recorded();
        CallSession session = call(response);
        session.abort();
        ExecutionException e = assertThrows(ExecutionException.class, () -> session.closeFuture().get(30, TimeUnit.SECONDS));
        assertInstanceOf(ConnectionLostException.class, e.getCause());
        assertEquals(503, response.status);
    }
}
