package io.libchan.undertow.internal.h2;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.protocol.framed.AbstractFramedStreamSinkChannel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.ConduitStreamSinkChannel;

/**
 * Sees the bytes an HTTP/2 stream's sink kept back after a flush that reported success.
 *
 * <p>Why this exists: when the stream's or the connection's flow-control window is smaller than
 * the frame being flushed, Undertow (2.3, {@code AbstractFramedStreamSinkChannel.flushComplete})
 * sends what the window allows and moves the rest back into the channel's write buffer, to go out
 * with the next {@code write} or {@code flush}; it then wakes the channel's write listener only if
 * writes are resumed. A {@code flush()} on the I/O thread runs the frame's write synchronously and
 * so returns true with those bytes still in the buffer, and off the I/O thread the same can happen
 * when the I/O thread finishes the frame before {@code flush()} returns. A tunnel whose last write
 * ends that way strands its tail (a reply, a byte stream's last chunk and FIN) until the session
 * writes again, which it may never do. No public API tells a full flush from such a partial one,
 * so this reads the channel's private write buffer: {@link #left()} is true while it holds bytes,
 * and the caller flushes again (which sends them, or queues them until the window opens).
 *
 * <p>The sink handed to the tunnel is Undertow's framed stream channel itself (client) or that
 * channel behind the exchange's wrappers (server): they are looked through by their fields. When
 * that fails (an Undertow whose fields differ), {@link #blind()} is true, one warning is logged and
 * {@link #left()} is always false: the old behaviour. A test keeps this from happening unnoticed.
 * Thread-safe: it only reads volatile state.
 */
final class SinkRemainder {
    private static final Logger LOG = Logger.getLogger(SinkRemainder.class.getName());
    private static final VarHandle WRITE_BUFFER = writeBufferHandle();
    private static volatile boolean warned;

    private final AbstractFramedStreamSinkChannel<?, ?, ?> framed;

    private SinkRemainder(AbstractFramedStreamSinkChannel<?, ?, ?> framed) {
        this.framed = framed;
    }

    /** The probe for {@code sink}: Undertow's framed channel in it, found once. */
    static SinkRemainder of(StreamSinkChannel sink) {
        AbstractFramedStreamSinkChannel<?, ?, ?> framed = WRITE_BUFFER == null ? null : framedBehind(sink);
        if (framed == null && !warned) {
            warned = true;
            LOG.log(Level.WARNING, "cannot see the write buffer of Undertow's HTTP/2 stream behind {0}: a tunnel whose last"
                    + " write meets a short flow-control window may stall until it writes again", sink.getClass().getName());
        }
        return new SinkRemainder(framed);
    }

    /** True when Undertow's channel could not be found: {@link #left()} then knows nothing. */
    boolean blind() {
        return framed == null;
    }

    /** True while the stream's write buffer holds bytes no queued frame will send. */
    boolean left() {
        if (framed == null) {
            return false;
        }
        PooledByteBuffer buffer = (PooledByteBuffer) WRITE_BUFFER.getVolatile(framed);
        if (buffer == null) {
            return false;
        }
        try {
            return buffer.getBuffer().position() > 0;
        } catch (IllegalStateException e) {
            return false; // freed by a concurrent close: nothing will be sent anyway
        }
    }

    private static VarHandle writeBufferHandle() {
        try {
            return MethodHandles.privateLookupIn(AbstractFramedStreamSinkChannel.class, MethodHandles.lookup())
                    .findVarHandle(AbstractFramedStreamSinkChannel.class, "writeBuffer", PooledByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Undertow's framed channel behind {@code sink}: itself, or reached through channel and
     * conduit wrappers (an exchange's response channel) by their one field of a sink type.
     */
    static AbstractFramedStreamSinkChannel<?, ?, ?> framedBehind(Object sink) {
        Object at = sink;
        for (int depth = 0; depth < 8 && at != null; depth++) {
            if (at instanceof AbstractFramedStreamSinkChannel) {
                return (AbstractFramedStreamSinkChannel<?, ?, ?>) at;
            }
            at = at instanceof ConduitStreamSinkChannel ? ((ConduitStreamSinkChannel) at).getConduit() : wrapped(at);
        }
        return null;
    }

    /** The channel or conduit {@code wrapper} passes its writes to, or null. */
    private static Object wrapped(Object wrapper) {
        for (Class<?> c = wrapper.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers())
                        || !(StreamSinkChannel.class.isAssignableFrom(f.getType())
                                || org.xnio.conduits.Conduit.class.isAssignableFrom(f.getType()))) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    Object next = f.get(wrapper);
                    if (next != null && next != wrapper) {
                        return next;
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
