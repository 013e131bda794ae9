package io.libchan.undertow.internal.ws;

import io.libchan.internal.session.SessionThreads;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/**
 * Ends a server WebSocket politely: a close frame (1000) first, the connection dropped once the
 * peer answered it (Undertow does that), or after 5 s, or at once if the close frame cannot be sent.
 */
final class ServerClose {
    private ServerClose() {
    }

    static void gracefully(WebSocketChannel channel) {
        if (!channel.isOpen()) {
            return;
        }
        if (channel.isCloseFrameSent()) {
            IoUtils.safeClose(channel);
            return;
        }
        WebSockets.sendClose(1000, "", channel, new WebSocketCallback<Void>() {
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
