package io.libchan.internal.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.libchan.LibchanException;
import io.libchan.MessageTypeException;
import io.libchan.ProtocolException;
import java.io.IOException;
import java.util.function.Supplier;

/** Maps Jackson's exceptions to libchan's typed ones, keeping our own exceptions that Jackson wrapped. */
public final class CodecErrors {
    private CodecErrors() {
    }

    /** The LibchanException (or IllegalArgumentException) somewhere in the cause chain, if any. */
    public static RuntimeException ours(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LibchanException || t instanceof IllegalArgumentException) {
                return (RuntimeException) t;
            }
        }
        return null;
    }

    /** An encoding failure: the message holds something the codec cannot write. */
    public static RuntimeException encode(Object message, IOException e) {
        RuntimeException own = ours(e);
        if (own != null) {
            return own;
        }
        return new MessageTypeException("cannot encode " + (message == null ? "null" : message.getClass().getName())
                + ": " + (e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage()), message, e);
    }

    /** A decoding failure: a mismatch with the requested type (the untyped form attached) or malformed bytes. */
    public static RuntimeException decode(IOException e, Class<?> type, Supplier<Object> untyped) {
        RuntimeException own = ours(e);
        if (own != null) {
            return own;
        }
        if (e instanceof JsonMappingException && type != Object.class) {
            Object message;
            try {
                message = untyped.get();
            } catch (RuntimeException again) {
                return again;
            }
            return new MessageTypeException("cannot receive the message as " + type.getName() + ": "
                    + ((JsonProcessingException) e).getOriginalMessage(), message, e);
        }
        return new ProtocolException("malformed message: " + e.getMessage(), false, e);
    }
}
