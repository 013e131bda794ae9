package io.libchan.cdi.internal;

import io.libchan.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The validated settings of one {@code @Channel}, from {@code libchan.channel.<name>.*}. Immutable.
 *
 * @param name the channel name
 * @param uri where it goes; an opaque {@code inmem:x} URI makes it an in-app channel
 * @param startup connect at startup rather than on first use (remote channels)
 * @param remoteName the endpoint name to address on the peer, if any (remote channels)
 * @param buffer messages an in-app pipe holds before a send blocks
 * @param reconnectDelay the first reconnect delay after a session is lost
 * @param reconnectMaxDelay the longest reconnect delay
 * @param settings session settings (limits, TLS, codec, dialect...)
 */
record ChannelConfig(String name, URI uri, boolean startup, Optional<String> remoteName, int buffer,
                     Duration reconnectDelay, Duration reconnectMaxDelay, Settings settings) {

    /** True for an opaque {@code inmem:x} URI: the channel is a pipe inside this application. */
    boolean inApp() {
        return isInApp(uri);
    }

    /** The in-app pipe's name: channels with the same {@code inmem:x} URI share one pipe. */
    String pipeName() {
        String part = uri.getSchemeSpecificPart();
        int q = part.indexOf('?');
        return q < 0 ? part : part.substring(0, q);
    }

    static boolean isInApp(URI uri) {
        return "inmem".equalsIgnoreCase(uri.getScheme()) && uri.isOpaque();
    }
}
