package io.libchan.undertow.internal.h2;

import io.libchan.ConnectionLostException;
import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.session.SessionThreads;
import io.libchan.internal.session.SpdySession;
import io.libchan.undertow.internal.Uris;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSourceChannel;

/**
 * Opens a client session through an HTTP/2 tunnel (PROTOCOL.md section 13, "HTTP/2 tunnel"): a
 * {@code POST <prefix>/session} on a shared connection, the request body carrying our frames and the
 * response body the server's. Returns once the server answered 200; any other answer (401, 403, 404,
 * 503…) fails the connect with {@link ConnectionLostException} naming the status.
 */
public final class TunnelClient {
    private static final int ERROR_BODY_LIMIT = 2048;

    private TunnelClient() {
    }

    public static Transport connect(URI uri, Settings given) {
        Settings settings = given.dialect().isPresent() ? given : given.toBuilder().dialect(Dialect.HEAD).build();
        String target = Uris.scheme(uri) + "://" + Uris.authority(uri) + Uris.prefix(uri) + Uris.SESSION_PATH;
        Http2Connections pool = Http2Connections.SHARED;
        ClientConnection connection;
        try {
            connection = pool.acquire(uri, settings);
        } catch (IOException e) {
            throw new ConnectionLostException("cannot connect to " + target + ": " + e.getMessage(), e);
        }
        try {
            return open(uri, settings, target, connection, pool);
        } catch (RuntimeException e) {
            pool.release(connection);
            throw e;
        }
    }

    private static Transport open(URI uri, Settings settings, String target, ClientConnection connection, Http2Connections pool) {
        ClientRequest request = new ClientRequest().setMethod(Methods.POST).setPath(Uris.prefix(uri) + Uris.SESSION_PATH);
        request.getRequestHeaders().put(Headers.HOST, Uris.authority(uri));
        request.getRequestHeaders().put(Headers.CONTENT_TYPE, TunnelHandler.CONTENT_TYPE);
        request.getRequestHeaders().put(Headers.TRANSFER_ENCODING, "chunked"); // a body of unknown length follows
        // the body never ends while the session lives: a server that refuses the request unread (a
        // 401 from security handlers in front of the tunnel) would otherwise answer only once it has
        // drained the body (Undertow does), i.e. never; with this, it resets the request stream and
        // answers at once. Nothing waits for a 100: the tunnel's 200 comes before any frame is read.
        request.getRequestHeaders().put(Headers.EXPECT, "100-continue");
        Uris.basicAuthorization(uri).ifPresent(auth -> request.getRequestHeaders().put(Headers.AUTHORIZATION, auth));

        CompletableFuture<ClientExchange> sent = new CompletableFuture<>();
        CompletableFuture<ClientExchange> answered = new CompletableFuture<>();
        connection.getIoThread().execute(() -> connection.sendRequest(request, new ClientCallback<>() {
            @Override
            public void completed(ClientExchange exchange) {
                exchange.setResponseListener(new ClientCallback<>() {
                    @Override
                    public void completed(ClientExchange result) {
                        answered.complete(result);
                    }

                    @Override
                    public void failed(IOException e) {
                        answered.completeExceptionally(e);
                    }
                });
                sent.complete(exchange);
            }

            @Override
            public void failed(IOException e) {
                sent.completeExceptionally(e);
                answered.completeExceptionally(e);
            }
        }));
        long timeout = settings.connectTimeout().toMillis();
        ClientExchange exchange = await(sent, timeout, target);
        ChannelWire[] wire = new ChannelWire[1];
        wire[0] = new ChannelWire(exchange.getRequestChannel(), null, null, target, () -> pool.release(connection));
        SpdySession session = new SpdySession(wire[0], false, settings, SessionThreads.executor());
        session.start(); // sends the request headers with our SETTINGS
        ClientExchange response;
        try {
            response = await(answered, timeout, target);
        } catch (ConnectionLostException e) {
            session.abort();
            throw e;
        }
        int status = response.getResponse().getResponseCode();
        StreamSourceChannel body = response.getResponseChannel();
        if (status != 200) {
            String text = readSome(body);
            session.abort();
            IoUtils.safeClose(body);
            throw new ConnectionLostException("cannot open a session at " + target + ": the server answered HTTP "
                    + status + (text.isBlank() ? "" : ": " + text.strip()));
        }
        wire[0].readsFrom(body);
        BodyReader.start(body, session);
        return session;
    }

    private static ClientExchange await(CompletableFuture<ClientExchange> f, long timeoutMillis, String target) {
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ConnectionLostException("cannot open a session at " + target + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new ConnectionLostException("cannot open a session at " + target + ": no answer within " + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionLostException("interrupted while opening a session at " + target, e);
        }
    }

    /** The start of an error response's body, for the exception message (bounded in size and time). */
    private static String readSome(StreamSourceChannel body) {
        ByteBuffer buf = ByteBuffer.allocate(ERROR_BODY_LIMIT);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try {
            while (buf.hasRemaining() && System.nanoTime() < deadline) {
                int n = body.read(buf);
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    body.awaitReadable(200, TimeUnit.MILLISECONDS);
                }
            }
        } catch (IOException e) {
            // what we have is enough
        }
        buf.flip();
        return StandardCharsets.UTF_8.decode(buf).toString();
    }
}
