package io.libchan.undertow;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** An embedded Undertow for tests: HTTP/2 on, one cleartext listener on a free loopback port. */
public record LoopbackUndertow(Undertow server, int port) {

    /** Starts {@code handler} on a free port of 127.0.0.1; {@code options} adds to the builder first. */
    public static LoopbackUndertow start(HttpHandler handler, Consumer<Undertow.Builder> options) {
        Undertow.Builder b = Undertow.builder()
                .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(handler);
        options.accept(b);
        Undertow server = b.build();
        server.start();
        return new LoopbackUndertow(server, ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort());
    }
}
