package io.libchan.undertow.internal.ws;

import io.libchan.internal.session.SessionThreads;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/**
 * Ends a server WebSocket politely: a close frame (1000, or the code given) first, the connection
 * dropped once the peer answered it (Undertow does that), or after 5 s, or at once if the close
 * frame cannot be sent. The first close frame wins; closing again changes nothing.
 */
final class ServerClose {
    private ServerClose() {
    }

    static void gracefully(WebSocketChannel channel) {
        withCode(channel, 1000, "");
    }

    /** As {@link #gracefully}, with close {@code code} and {@code reason} (at most 123 bytes). */
    static void withCode(WebSocketChannel channel, int code, String reason) {
        if (!channel.isOpen() || channel.isCloseFrameSent()) {
            return; // the close sent first is under way, with its own deadline
        }
        WebSockets.sendClose(code, reason, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                // Undertow closes the connection when the peer's close frame arrives
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                IoUtils.safeClose(ch);
            }
        });
        SessionThreads.timer().schedule(() -> IoUtils.safeClose(channel), 5, TimeUnit.SECONDS);
    }
}
