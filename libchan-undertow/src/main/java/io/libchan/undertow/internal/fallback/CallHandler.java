package io.libchan.undertow.internal.fallback;

import io.libchan.Settings;
import io.libchan.internal.codec.json.JsonCodec;
import io.libchan.internal.fallback.CallFailure;
import io.libchan.internal.fallback.CallSession;
import io.libchan.internal.fallback.HttpCalls;
import io.libchan.internal.trace.TraceHeaders;
import io.libchan.undertow.internal.Uris;
import io.libchan.undertow.internal.server.PeerRoles;
import io.libchan.undertow.internal.server.SessionQueue;
import io.undertow.security.api.SecurityContext;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP/1.1 fallback (PROTOCOL.md section 13, "HTTP/1.1 fallback"): {@code POST <prefix>/call[/name]}
 * with a JSON object becomes a one-message session for the application, whose reply on {@code ret}
 * is the response: one JSON body, or with {@code Accept: text/event-stream} a stream of events that
 * also carries the Receivers in the replies. Works on any HTTP version. Every refusal is a 4xx with an
 * error-reply body: wrong method 405, not JSON 415, malformed or carrying channels 400, too large
 * 413; a backlog full 503; no reply within the call timeout 504. The call itself is the
 * transport-neutral {@link CallSession} of libchan-core; this class adapts it to Undertow.
 */
public final class CallHandler implements HttpHandler {
    private final SessionQueue sessions;
    private final Settings settings;
    private final Executor executor;
    private final Duration callTimeout;
    private final JsonCodec codec;

    public CallHandler(SessionQueue sessions, Settings settings, Executor executor, Duration callTimeout) {
        this.sessions = sessions;
        this.settings = settings;
        this.executor = executor;
        this.callTimeout = callTimeout;
        this.codec = new JsonCodec(settings);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!Methods.POST.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            refuse(exchange, CallFailure.methodNotAllowed());
            return;
        }
        if (!HttpCalls.isJson(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE))) {
            refuse(exchange, CallFailure.unsupportedMediaType());
            return;
        }
        if (exchange.getRequestContentLength() > settings.maxMessageBytes()) {
            refuse(exchange, CallFailure.tooLarge(settings.maxMessageBytes()));
            return;
        }
        if (!sessions.hasRoom()) {
            String reason = sessions.refusalReason();
            io.libchan.undertow.internal.ws.WebSocketSessions.countRefused(settings, exchange, "http", reason);
            refuse(exchange, CallFailure.unavailable(reason.equals("max_connections")
                    ? sessions.refusalText() : "too many calls waiting to be accepted"));
            return;
        }
        // the server's own body limit (WildFly's max-post-size) must not cut a chunked body under ours,
        // so a lower one is raised to ours plus the byte the read below takes to tell "over". Never
        // lowered: a body over ours is left unread after the 413, and the server drains it to keep the
        // connection (at a limit, it would close it instead, and the client could lose the answer)
        long server = exchange.getMaxEntitySize();
        if (server > 0 && server <= settings.maxMessageBytes()) {
            exchange.setMaxEntitySize(settings.maxMessageBytes() + 1L);
        }
        exchange.dispatch(executor, this::serve);
    }

    /**
     * The call's metrics name the client by its address and this side by its own ({@code http://host:port}),
     * not the path: a peer chooses it, and each would be a series of its own.
     */
    private CallSession.Origin origin(HttpServerExchange exchange) {
        java.net.InetSocketAddress peer = exchange.getSourceAddress();
        java.net.InetSocketAddress local = exchange.getDestinationAddress();
        return new CallSession.Origin(settings, peer.getHostString() + ":" + peer.getPort(),
                (exchange.isSecure() ? "https://" : "http://") + local.getHostString() + ":" + local.getPort());
    }

    private static String channelName(HttpServerExchange exchange) {
        String path = exchange.getRelativePath();
        if (path.length() <= Uris.CALL_PATH.length() + 1) {
            return null;
        }
        return URLDecoder.decode(path.substring(Uris.CALL_PATH.length() + 1), StandardCharsets.UTF_8);
    }

    private void serve(HttpServerExchange exchange) {
        exchange.startBlocking();
        CallSession call;
        try {
            byte[] body = exchange.getInputStream().readNBytes(settings.maxMessageBytes() + 1);
            if (body.length > settings.maxMessageBytes()) {
                refuse(exchange, CallFailure.tooLarge(settings.maxMessageBytes()));
                return;
            }
            call = CallSession.open(codec, body, channelName(exchange), principal(exchange),
                    HttpCalls.wantsEvents(exchange.getRequestHeaders().getFirst(Headers.ACCEPT)),
                    new ExchangeResponse(exchange), executor,
                    TraceHeaders.of(exchange.getRequestHeaders().getFirst(TraceHeaders.TRACEPARENT),
                            exchange.getRequestHeaders().getFirst(TraceHeaders.TRACESTATE)),
                    origin(exchange));
        } catch (RequestTooBigException e) {
            refuse(exchange, CallFailure.tooLarge(settings.maxMessageBytes()));
            return;
        } catch (IOException e) {
            exchange.endExchange(); // the client went away
            return;
        } catch (CallFailure f) {
            refuse(exchange, f);
            return;
        }
        if (!sessions.offer(PeerRoles.carry(call, PeerRoles.of(exchange)))) {
            return; // aborted: the reply answered 503
        }
        awaitAnswer(call);
    }

    /** Holds the dispatched thread until the call is answered (bounded) and then finished. */
    private void awaitAnswer(CallSession call) {
        try {
            call.answered().get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
            call.finished().get();
        } catch (TimeoutException e) {
            call.expire(callTimeout);
        } catch (ExecutionException e) {
            call.abort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.abort();
        }
    }

    private static void refuse(HttpServerExchange exchange, CallFailure failure) {
        exchange.setStatusCode(failure.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, HttpCalls.JSON);
        byte[] body = failure.body();
        if (exchange.isBlocking()) {
            try (var out = exchange.getOutputStream()) {
                out.write(body);
            } catch (IOException e) {
                // the client went away
            }
        } else {
            exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(body));
        }
    }

    private static Principal principal(HttpServerExchange exchange) {
        SecurityContext security = exchange.getSecurityContext();
        return security == null || security.getAuthenticatedAccount() == null ? null
                : security.getAuthenticatedAccount().getPrincipal();
    }
}
