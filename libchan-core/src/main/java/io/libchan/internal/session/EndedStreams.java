package io.libchan.internal.session;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a session remembers of streams that ended, so that frames and references arriving after
 * the end get the answer PROTOCOL.md section 9 gives them:
 * <ul>
 * <li>which stream ids were reset (the last {@value #RESETS}): DATA still in flight on a reset
 * stream is dropped, while DATA on a stream that ended with both FINs is DATA after the peer's FIN
 * and gets RST_STREAM STREAM_ALREADY_CLOSED;</li>
 * <li>the peer's nested streams reset before any message claimed them (the last
 * {@value #UNCLAIMED}), by reference: a message that names one of them still resolves it, to a
 * stream that has ended, instead of waiting for a stream that will never open again.</li>
 * </ul>
 * Memory is allocated on the first reset only. Thread-safe.
 */
final class EndedStreams {
    private static final int RESETS = 256;
    private static final int UNCLAIMED = 1024;

    private int[] resets; // a ring of stream ids; 0 is no stream
    private int nextReset;
    private Map<Long, SessionStream> unclaimed;

    /** Stream {@code id} was reset, by either side, or refused. */
    synchronized void reset(int id) {
        if (resets == null) {
            resets = new int[RESETS];
        }
        resets[nextReset] = id;
        nextReset = (nextReset + 1) % RESETS;
    }

    /** True if stream {@code id} was reset recently (an older reset is forgotten). */
    synchronized boolean wasReset(int id) {
        if (resets == null) {
            return false;
        }
        for (int r : resets) {
            if (r == id) {
                return true;
            }
        }
        return false;
    }

    /** The peer reset {@code s}, one of its nested streams, before a message claimed it. */
    synchronized void resetUnclaimed(SessionStream s) {
        if (unclaimed == null) {
            unclaimed = new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, SessionStream> eldest) {
                    return size() > UNCLAIMED;
                }
            };
        }
        unclaimed.put(s.ref, s);
    }

    /** The peer's stream with reference {@code ref} if it was reset before a message claimed it, else null. */
    synchronized SessionStream unclaimed(long ref) {
        return unclaimed == null ? null : unclaimed.get(ref);
    }
}
