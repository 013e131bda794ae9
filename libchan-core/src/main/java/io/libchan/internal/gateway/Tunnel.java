package io.libchan.internal.gateway;

import java.util.concurrent.CompletableFuture;

/**
 * One open tunnel of the gateway: a {@link LoopSplice}, {@link SocketSplice} or {@link Splice} copying its bytes, or a {@link Handover} that
 * gave the target's socket to the client and only waits for it to let go.
 */
public interface Tunnel {
    /** Closes the tunnel's ends at once. Idempotent. */
    void abort();

    /** Completes once the tunnel's ends are closed. */
    CompletableFuture<Void> done();

    /** The bytes this side copied towards the target (0 for a handover). */
    long bytesToTarget();

    /** The bytes this side copied from the target (0 for a handover). */
    long bytesFromTarget();
}
