package io.libchan.internal.json;

import io.libchan.ByteStream;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.internal.bytes.PipedByteStream;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The channels and byte streams one outgoing message opens. Each gets a fresh id of ours and is
 * registered while the message is encoded (so the peer's first frames on it find it); their pumps
 * start only once the message was written ({@link #started()}), so the peer has heard of an id
 * before any frame uses it. If the message is not sent, {@link #abandon()} forgets them.
 */
final class JsonReferences implements EncodeContext {
    private final JsonSession session;
    private final List<Runnable> starters = new ArrayList<>();
    private final List<Long> ids = new ArrayList<>();

    JsonReferences(JsonSession session) {
        this.session = session;
    }

    @Override
    public Reference reference(Object value) {
        long id = session.newId();
        ids.add(id);
        if (value instanceof Sender) {
            InboundChannel in = session.registerInbound(id, null);
            starters.add(() -> Pumps.into(session, in, (Sender) value));
            return new Reference(ReferenceKind.SENDER, id);
        }
        if (value instanceof Receiver) {
            OutboundChannel out = session.registerOutbound(id);
            starters.add(() -> Pumps.from(session, (Receiver) value, out));
            return new Reference(ReferenceKind.RECEIVER, id);
        }
        if (value instanceof PipedByteStream) {
            StreamBridge bridge = session.registerStream(id, (PipedByteStream) value);
            starters.add(bridge::start);
            return new Reference(ReferenceKind.BYTE_STREAM, id);
        }
        if (value instanceof ByteStream) {
            ByteStream b = (ByteStream) value;
            return bytes(id, b.input(), b.output(), ReferenceKind.BYTE_STREAM);
        }
        if (value instanceof InputStream) {
            return bytes(id, (InputStream) value, null, ReferenceKind.BYTE_STREAM_READ);
        }
        if (value instanceof OutputStream) {
            return bytes(id, null, (OutputStream) value, ReferenceKind.BYTE_STREAM_WRITE);
        }
        throw new IllegalArgumentException("cannot send a " + value.getClass().getName() + " as a channel or byte stream");
    }

    private Reference bytes(long id, InputStream from, OutputStream to, ReferenceKind kind) {
        StreamBridge bridge = session.registerStream(id, from, to);
        starters.add(bridge::start);
        return new Reference(kind, id);
    }

    void started() {
        starters.forEach(Runnable::run);
    }

    void abandon() {
        ids.forEach(session::forget);
    }
}
