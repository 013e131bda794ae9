package io.libchan.undertow.internal.ws;

import io.libchan.ConnectionLostException;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.undertow.internal.ClientTls;
import io.libchan.undertow.internal.Uris;
import io.libchan.internal.json.JsonSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens client sessions over {@code ws://} and {@code wss://}: subprotocol {@value WebSocketSessions#SPDY}
 * on the library's I/O threads ({@link NioWebSocketClient}), or {@value WebSocketSessions#JSON}, when
 * the settings ask for the JSON codec ({@code ws://host/libchan?codec=json}), with the JDK's WebSocket
 * client (as a browser would speak it). The URI's user info becomes a Basic {@code Authorization}
 * header; its query holds libchan settings and is not sent.
 */
public final class WebSocketClient {
    private WebSocketClient() {
    }

    public static Transport connect(URI uri, Settings settings) {
        return settings.codec().equals("json") ? connectJson(uri, settings) : connectSpdy(uri, settings);
    }

    private static String describe(URI uri) {
        return Uris.scheme(uri) + "://" + Uris.authority(uri) + Uris.prefix(uri);
    }

    /** The {@code libchan.json} framing ({@code ?codec=json}), as a browser would speak it. */
    private static Transport connectJson(URI uri, Settings settings) {
        JdkJsonListener listener = new JdkJsonListener(JsonSession.maxFrameChars(settings));
        WebSocket socket = open(uri, settings, WebSocketSessions.JSON, listener);
        JsonSession session = JsonSession.client(new JdkTextWire(socket, describe(uri)), settings);
        listener.attach(session, socket);
        return session;
    }

    /** The {@code libchan.spdy3} framing, on the library's I/O threads ({@link NioWebSocketClient}). */
    private static Transport connectSpdy(URI uri, Settings settings) {
        return NioWebSocketClient.connect(uri, settings);
    }

    /** Completes the handshake offering {@code subprotocol}; fails if the server did not take it. */
    public static WebSocket open(URI uri, Settings settings, String subprotocol, WebSocket.Listener listener) {
        URI target = URI.create(Uris.scheme(uri) + "://" + Uris.authority(uri) + Uris.prefix(uri));
        try {
            HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout());
            if (Uris.secure(uri)) {
                client.sslContext(ClientTls.context(settings));
            }
            WebSocket.Builder builder = client.build().newWebSocketBuilder()
                    .subprotocols(subprotocol)
                    .connectTimeout(settings.connectTimeout());
            Uris.basicAuthorization(uri).ifPresent(auth -> builder.header("Authorization", auth));
            WebSocket socket = builder.buildAsync(target, listener)
                    .get(settings.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            if (!subprotocol.equals(socket.getSubprotocol()) && !subprotocol.equals(WebSocketSessions.SPDY)) {
                socket.abort();
                throw new ConnectionLostException("the server at " + target + " does not speak " + subprotocol);
            }
            return socket;
        } catch (ExecutionException e) {
            throw failure(target, e.getCause());
        } catch (TimeoutException e) {
            throw new ConnectionLostException("cannot connect to " + target + ": timed out", e);
        } catch (IOException e) {
            throw failure(target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionLostException("interrupted while connecting to " + target, e);
        }
    }

    private static ConnectionLostException failure(URI target, Throwable cause) {
        if (cause instanceof WebSocketHandshakeException) {
            int status = ((WebSocketHandshakeException) cause).getResponse().statusCode();
            return new ConnectionLostException("cannot connect to " + target + ": the server answered HTTP " + status, cause);
        }
        return new ConnectionLostException("cannot connect to " + target + ": " + cause, cause);
    }
}
