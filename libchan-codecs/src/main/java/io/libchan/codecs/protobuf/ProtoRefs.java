package io.libchan.codecs.protobuf;

import io.libchan.ByteStream;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.proto.Reference;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Channels and byte streams in protobuf messages (PROTOCOL.md section 15.4). A generated message
 * cannot hold a {@link Sender}; it holds a {@link Reference} that {@link #of} makes for one, and a
 * received message's references give back the live channel or stream through {@link #sender},
 * {@link #receiver} and {@link #byteStream}.
 * <pre>
 *   Pipe reply = Pipe.create();
 *   orders.send(Order.newBuilder().setItem("tea").setRet(ProtoRefs.of(reply.sender())).build());
 *   ...
 *   Order order = channel.receive(Order.class);
 *   ProtoRefs.sender(order.getRet()).send(Confirmation.newBuilder()...build());
 * </pre>
 * Inside the process a reference carries a handle (an id with the top bit set, never seen on the
 * wire): the codec puts the stream's reference id in its place when the message is sent, and a
 * handle of the live object when it is received. A handle keeps its object for as long as the
 * {@code Reference} message it came in (and so any message holding it) is reachable; a copy
 * rebuilt field by field is not the same handle once the original is gone. Thread-safe.
 */
public final class ProtoRefs {
    private static final long HANDLE = Long.MIN_VALUE;
    private static final AtomicLong NEXT = new AtomicLong(1);
    /** By handle: the live object, held until its Reference message is collected (then expunged lazily). */
    private static final ConcurrentHashMap<Long, Entry> LIVE = new ConcurrentHashMap<>();
    /** Reference messages collected; polled on every call rather than by a thread of its own. */
    private static final ReferenceQueue<Reference> GONE = new ReferenceQueue<>();

    /** A live object, and a weak reference to the message that names it. */
    private static final class Entry extends WeakReference<Reference> {
        final long id;
        final Object value;

        Entry(Reference message, Object value) {
            super(message, GONE);
            this.id = message.getId();
            this.value = value;
        }
    }

    private ProtoRefs() {
    }

    /**
     * A reference to put in a message: to {@code value}, a {@link Sender} (the peer gets a Sender: a
     * reply channel), {@link Receiver}, {@link ByteStream}, {@code InputStream} (the peer reads what
     * it gives) or {@code OutputStream} (the peer writes into it).
     */
    public static Reference of(Object value) {
        return handle(value, kindOf(value));
    }

    /** The Sender a received reference names. @throws IllegalArgumentException when it names none */
    public static Sender sender(Reference ref) {
        return live(ref, Sender.class);
    }

    /** The Receiver a received reference names. @throws IllegalArgumentException when it names none */
    public static Receiver receiver(Reference ref) {
        return live(ref, Receiver.class);
    }

    /** The byte stream a received reference names. @throws IllegalArgumentException when it names none */
    public static ByteStream byteStream(Reference ref) {
        return live(ref, ByteStream.class);
    }

    /** The live object behind {@code ref} (a handle). */
    static Object live(Reference ref) {
        if ((ref.getId() & HANDLE) == 0) {
            throw new IllegalArgumentException("libchan.Reference " + ref.getId()
                    + " was not made by ProtoRefs.of nor received: it names nothing in this process");
        }
        expunge();
        Entry e = LIVE.get(ref.getId());
        if (e == null) {
            throw new IllegalArgumentException("the channel or stream of libchan.Reference handle "
                    + (ref.getId() & ~HANDLE) + " is gone (the message it came in was dropped)");
        }
        return e.value;
    }

    private static <T> T live(Reference ref, Class<T> type) {
        Object value = live(ref);
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("libchan.Reference names a " + value.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(value);
    }

    /** A handle for {@code value}, of {@code kind}. */
    static Reference handle(Object value, Reference.Kind kind) {
        expunge();
        Reference message = Reference.newBuilder().setId(HANDLE | NEXT.getAndIncrement()).setKind(kind).build();
        LIVE.put(message.getId(), new Entry(message, value));
        return message;
    }

    private static void expunge() {
        for (Object gone = GONE.poll(); gone != null; gone = GONE.poll()) {
            LIVE.remove(((Entry) gone).id, gone);
        }
    }

    private static Reference.Kind kindOf(Object value) {
        if (value instanceof Sender) {
            return Reference.Kind.SENDER;
        }
        if (value instanceof Receiver) {
            return Reference.Kind.RECEIVER;
        }
        if (value instanceof ByteStream) {
            return Reference.Kind.BYTE_STREAM;
        }
        if (value instanceof InputStream) {
            return Reference.Kind.BYTE_STREAM_READ;
        }
        if (value instanceof OutputStream) {
            return Reference.Kind.BYTE_STREAM_WRITE;
        }
        throw new IllegalArgumentException("a libchan.Reference names a channel or a byte stream, not a "
                + (value == null ? "null" : value.getClass().getName()));
    }
}
