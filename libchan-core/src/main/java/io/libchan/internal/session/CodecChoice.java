package io.libchan.internal.session;

import io.libchan.ChannelInterruptedException;
import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.internal.codec.MessageCodecs;
import io.libchan.spi.MessageCodec;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The codec of one session, agreed when it starts (PROTOCOL.md section 8, {@code codec=NAME} in
 * {@code libchan-ext}). The client offers the codec of its settings on its first top-level stream
 * and encodes nothing before the answer: the codec named in the answer, or msgpack when the answer
 * names none (Go, jschan, a server without that codec). A server takes the codec its client
 * offered when it has it and its settings allow it, msgpack otherwise. Once decided, the codec never
 * changes, and whatever a side answers is what it decided. Thread-safe.
 */
final class CodecChoice {
    static final String PREFIX = "codec=";
    private static final String MSGPACK = "msgpack";

    private final Settings settings;
    private final boolean server;
    private final String wanted;
    private final CountDownLatch known = new CountDownLatch(1);
    private volatile MessageCodec codec; // set once, under this
    private int offerStreamId;           // guarded by this: the client's stream whose reply answers the offer

    CodecChoice(Settings settings, boolean server) {
        this.settings = settings;
        this.server = server;
        this.wanted = settings.codec().toLowerCase(Locale.ROOT);
    }

    /**
     * The client's offer, for its first top-level stream {@code streamId}, or null when there is
     * nothing to agree (a server, msgpack wanted, or the codec already decided).
     */
    synchronized String offer(int streamId) {
        if (server || codec != null || wanted.equals(MSGPACK)) {
            return null;
        }
        offerStreamId = streamId;
        return PREFIX + wanted;
    }

    /**
     * The server side: the peer's first stream arrived with {@code ext} (null: no {@code libchan-ext}).
     * Decides the codec if it is not yet decided.
     */
    synchronized void peerOffered(String ext, Dialect dialect) {
        if (!server || codec != null) {
            return;
        }
        String offered = ext == null ? null : offeredCodec(ext);
        if (offered != null && acceptable(offered)) {
            decide(MessageCodecs.create(dialect, settings.toBuilder().codec(offered).build()));
        } else {
            decide(msgpack(dialect));
        }
    }

    /** The server's answer to {@code ext}: {@code codec=NAME} when the session took the codec it offers, else null. */
    String answer(String ext) {
        String offered = offeredCodec(ext);
        MessageCodec c = codec;
        return offered != null && c != null && c.name().equalsIgnoreCase(offered) && !offered.equals(MSGPACK)
                ? PREFIX + offered : null;
    }

    /** The client side: the SYN_REPLY of stream {@code streamId} arrived with {@code ext} (null: none). */
    void replied(int streamId, String ext, Dialect dialect) {
        synchronized (this) {
            if (server || codec != null || streamId != offerStreamId) {
                return;
            }
            String taken = ext == null ? null : offeredCodec(ext);
            decide(wanted.equals(taken) ? MessageCodecs.create(dialect, settings) : msgpack(dialect));
        }
    }

    /** The offer will never be answered (its stream was reset, the session ended): msgpack. */
    synchronized void unanswered(int streamId, Dialect dialect) {
        if (!server && codec == null && (streamId == offerStreamId || streamId == 0)) {
            decide(msgpack(dialect));
        }
    }

    /**
     * The session's codec. A client that offered one waits for the answer (at most the settings'
     * dialect-detection timeout, then msgpack); one that has not offered yet never will (the peer
     * already sends msgpack, or it would have heard an offer): msgpack.
     *
     * @return null when it would have to wait and {@code mayWait} is false
     */
    MessageCodec get(Dialect dialect, boolean mayWait) {
        MessageCodec c = codec;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (codec == null && (server || offerStreamId == 0 || wanted.equals(MSGPACK))) {
                decide(msgpack(dialect));
            }
            if (codec != null) {
                return codec;
            }
        }
        if (!mayWait) {
            return null;
        }
        try {
            if (!known.await(settings.dialectDetectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                unanswered(0, dialect);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelInterruptedException(e);
        }
        return codec;
    }

    /** The codec, or null while it is not decided. */
    MessageCodec decidedCodec() {
        return codec;
    }

    /** True once the codec is known. */
    boolean decided() {
        return codec != null;
    }

    /** True when {@link #get} would wait: a client that offered a codec and has no answer yet. */
    synchronized boolean awaitingAnswer() {
        return codec == null && !server && offerStreamId != 0 && !wanted.equals(MSGPACK);
    }

    private boolean acceptable(String offered) {
        // a listener left at msgpack takes any codec it has; one set to another takes only that one
        return (wanted.equals(MSGPACK) || wanted.equals(offered)) && MessageCodecs.installed(offered);
    }

    private MessageCodec msgpack(Dialect dialect) {
        return MessageCodecs.create(dialect, settings.toBuilder().codec(MSGPACK).build());
    }

    private void decide(MessageCodec c) {
        codec = c;
        known.countDown();
    }

    /** The codec a {@code libchan-ext} value names, lower case, or null. */
    static String offeredCodec(String ext) {
        for (String e : ext.split(",")) {
            String name = e.trim();
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
                return name.substring(PREFIX.length()).trim().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
