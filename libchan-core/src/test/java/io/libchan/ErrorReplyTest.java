package io.libchan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorReplyTest {
    @Test
    void errorReplyNamesTheExceptionAndRoundTrips() {
        Map<String, Object> reply = ErrorReply.of(new IllegalStateException("out of stock"));
        assertEquals(Map.of("error", Map.of("type", "java.lang.IllegalStateException", "message", "out of stock")), reply);
        RemoteErrorException e = ErrorReply.asError(reply).orElseThrow();
        assertEquals("java.lang.IllegalStateException", e.type());
        assertEquals(reply, ErrorReply.of(e));
    }

    @Test
    void wrappersAreLookedThrough() {
        Exception wrapped = new InvocationTargetException(new IllegalArgumentException("bad order"));
        assertEquals(Map.of("error", Map.of("type", "java.lang.IllegalArgumentException", "message", "bad order")),
                ErrorReply.of(wrapped));
    }

    @Test
    void ordinaryMessagesAreNotErrors() {
        assertTrue(ErrorReply.asError(Map.of("cmd", "hi")).isEmpty());
        assertTrue(ErrorReply.asError(Map.of("Error", "just a string")).isEmpty());
        assertTrue(ErrorReply.asError(Map.of("Error", Map.of("Type", "x", "Message", "y"))).isPresent());
    }
}
