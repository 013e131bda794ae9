package io.libchan.internal.codec.msgpack;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.lang.System.Logger.Level;
import org.msgpack.core.buffer.OutputStreamBufferOutput;
import org.msgpack.jackson.dataformat.MessagePackGenerator;

/**
 * The buffers of one encode, lent from a pool and taken back: the generator's packer buffer and the
 * array the message is written to. Thread-safe.
 *
 * <p>Why by hand: jackson-dataformat-msgpack's generator either keeps its 8 KiB packer buffer in a
 * thread-local of its own for good (on a container's pooled thread that value, a class of the
 * deployment's copy of msgpack, held the deployment's class loader after undeploy: issue 16), or
 * allocates a new one per message (which quadrupled the bytes allocated per round trip). The
 * library has no hook for its buffer; its thread-local is the one place the generator takes it
 * from. So before an encode we put a buffer of this pool there, and after it we remove it: the
 * buffer is reused and nothing stays on the thread. When that field cannot be reached (another
 * version of the library), {@link #lendsPackerBuffers()} is false and the generator allocates.
 * Jackson's own {@code writeValueAsBytes} is not used either: with buffer recycling off the thread
 * (see {@code NoThreadLocals}) it allocated its 2 KB block per message.
 */
final class PackerBuffers {
    private static final System.Logger LOG = System.getLogger(PackerBuffers.class.getName());
    private static final OutputStream NOWHERE = OutputStream.nullOutputStream();
    /** Buffers kept for reuse: more encodes at once than this allocate (and drop) their own. */
    private static final int KEPT = 64;
    private static final ThreadLocal<OutputStreamBufferOutput> SLOT = generatorsSlot();

    /** Kept buffers, in slots taken and filled without a lock (every encode passes here). */
    private final AtomicReferenceArray<Lent> free = new AtomicReferenceArray<>(KEPT);

    /** The generator's thread-local could be reached: packer buffers are lent, not allocated per message. */
    static boolean lendsPackerBuffers() {
        return SLOT != null;
    }

    /**
     * Buffers for one encode on this thread; the generator created next on this thread takes the
     * packer buffer. Give them back with {@link #giveBack} in a finally block.
     */
    Lent lend() {
        Lent lent = take();
        if (lent == null) {
            lent = new Lent();
        }
        if (SLOT != null) {
            SLOT.set(lent.packer);
        }
        return lent;
    }

    /** Takes the buffers back once the encode is over; the thread keeps nothing. */
    void giveBack(Lent lent) {
        if (SLOT != null) {
            SLOT.remove();
        }
        if (lent.clear()) {
            keep(lent);
        }
    }

    /** A kept buffer, or null when none is free. */
    private Lent take() {
        for (int i = 0; i < KEPT; i++) {
            if (free.get(i) != null) {
                Lent lent = free.getAndSet(i, null);
                if (lent != null) {
                    return lent;
                }
            }
        }
        return null;
    }

    /** Keeps {@code lent} for a later encode, unless every slot is full (then it is dropped). */
    private void keep(Lent lent) {
        for (int i = 0; i < KEPT; i++) {
            if (free.get(i) == null && free.compareAndSet(i, null, lent)) {
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static ThreadLocal<OutputStreamBufferOutput> generatorsSlot() {
        try {
            Field field = MessagePackGenerator.class.getDeclaredField("messageBufferOutputHolder");
            field.setAccessible(true);
            Object slot = field.get(null);
            return slot instanceof ThreadLocal ? (ThreadLocal<OutputStreamBufferOutput>) slot : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.DEBUG, "msgpack generator buffers cannot be lent: one is allocated per message", e);
            return null;
        }
    }

    /** The buffers of one encode: the packer's, and the growable array the message lands in. */
    static final class Lent extends OutputStream {
        /** Arrays grown past this for a large message are not kept. */
        private static final int KEEP_AT_MOST = 64 * 1024;
        private final OutputStreamBufferOutput packer = new OutputStreamBufferOutput(NOWHERE);
        private byte[] bytes = new byte[256];
        private int count;

        @Override
        public void write(int b) {
            ensure(1);
            bytes[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, count, len);
            count += len;
        }

        private void ensure(int more) {
            if (bytes.length - count < more) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
            }
        }

        /** What was written, exactly. */
        byte[] toByteArray() {
            return Arrays.copyOf(bytes, count);
        }

        /** Ready for the next encode; false when not worth keeping. */
        private boolean clear() {
            count = 0;
            try {
                packer.reset(NOWHERE); // the packer must not keep the last encode's stream
            } catch (IOException e) {
                return false;
            }
            return bytes.length <= KEEP_AT_MOST;
        }
    }
}
