package io.libchan.internal.session;

/**
 * Resets the streams a refused message leaves without a use (PROTOCOL.md section 9): a message
 * refused on a channel (too large, too deep, malformed, or failing to decode) names streams the
 * peer opened for it, and the peer waits on them (a Go client reads its {@code ret} forever).
 *
 * <p>A refused message may never be read to its end (the channel is reset at the first byte past a
 * limit), so the streams it names are found by their headers instead: those the peer opened as
 * nested streams with the refused channel's reference as {@code libchan-parent-ref}, after the
 * last message on that channel that was delivered whole (the peer opens a message's streams before
 * its first DATA frame and after the previous message's last, and stream ids grow in arrival
 * order), and that no message claimed. Nested streams that arrive later naming a refused channel
 * are reset on arrival (for the last {@value #REMEMBERED} refused channels). When another live
 * stream, of the other side's namespace, has the same reference number and may carry messages,
 * the parent reference is ambiguous and nothing is reset for it. Byte streams of the v0.1.0
 * dialect carry no parent reference and are never reset this way, nor are the streams of messages
 * that arrived on a nested channel before the message naming it was decoded. Thread-safe.
 */
final class Orphans {
    private static final int REMEMBERED = 64;

    private final SpdySession session;
    /** A ring of refused channels' references; null until the first refusal (read without the lock: nested SYN_STREAMs ask). */
    private volatile long[] refused;
    private int next;
    private int count;

    Orphans(SpdySession session) {
        this.session = session;
    }

    /**
     * A message on {@code channel} was refused: resets the peer's nested streams named as its
     * children whose stream ids are in {@code (after, upTo]}; with {@code claimedToo}, also the
     * ones a message claimed already (the refused message's own, when it failed while decoding).
     * Never blocks: the resets are queued.
     */
    void refused(SessionStream channel, int after, int upTo, boolean claimedToo) {
        remember(channel.ref);
        if (upTo <= after || otherParentWith(channel.ref, channel)) {
            return;
        }
        for (SessionStream s : session.liveStreams()) {
            if (!s.local && !s.topLevel && s.parentRef == channel.ref && s.id > after && s.id <= upTo
                    && (claimedToo || !s.everClaimed())) {
                session.resetOrphan(s);
            }
        }
    }

    /** True if a nested stream arriving now with {@code parentRef} names a channel refused before and gone. */
    boolean orphaned(long parentRef) {
        if (refused == null) {
            return false; // the common case: nothing was ever refused
        }
        synchronized (this) {
            if (!contains(parentRef)) {
                return false;
            }
        }
        return !otherParentWith(parentRef, null);
    }

    private synchronized void remember(long ref) {
        if (refused == null) {
            refused = new long[REMEMBERED];
        }
        refused[next] = ref;
        next = (next + 1) % REMEMBERED;
        count = Math.min(count + 1, REMEMBERED);
    }

    private boolean contains(long ref) {
        for (int i = 0; i < count; i++) {
            if (refused[i] == ref) {
                return true;
            }
        }
        return false;
    }

    /** True if a live stream other than {@code except} has reference {@code ref} and may carry the peer's messages. */
    private boolean otherParentWith(long ref, SessionStream except) {
        for (SessionStream s : session.liveStreams()) {
            if (s != except && s.ref == ref && s.mayCarryPeerMessages()) {
                return true;
            }
        }
        return false;
    }
}
