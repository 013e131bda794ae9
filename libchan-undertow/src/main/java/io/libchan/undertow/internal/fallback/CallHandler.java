package io.libchan.undertow.internal.fallback;

import io.libchan.Settings;
import io.libchan.internal.codec.json.JsonCodec;
import io.libchan.undertow.internal.Uris;
import io.libchan.undertow.internal.server.SessionQueue;
import io.undertow.security.api.SecurityContext;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
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
 * 413; a backlog full 503; no reply within the call timeout 504.
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
            refuse(exchange, new CallFailure(StatusCodes.METHOD_NOT_ALLOWED, "method-not-allowed", "a libchan call is a POST of a JSON object"));
            return;
        }
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (type == null || !isJson(type)) {
            refuse(exchange, new CallFailure(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "a libchan call takes Content-Type: application/json"));
            return;
        }
        if (exchange.getRequestContentLength() > settings.maxMessageBytes()) {
            refuse(exchange, tooLarge());
            return;
        }
        if (!sessions.hasRoom()) {
            refuse(exchange, new CallFailure(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", "too many calls waiting to be accepted"));
            return;
        }
        exchange.setMaxEntitySize(settings.maxMessageBytes());
        exchange.dispatch(executor, this::serve);
    }

    private CallFailure tooLarge() {
        return new CallFailure(StatusCodes.REQUEST_ENTITY_TOO_LARGE, "too-large",
                "the message is over the limit of " + settings.maxMessageBytes() + " bytes");
    }

    private static boolean isJson(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        t = (semi < 0 ? t : t.substring(0, semi)).trim();
        return t.equals("application/json") || t.endsWith("+json");
    }

    private static boolean wantsEvents(HttpServerExchange exchange) {
        String accept = exchange.getRequestHeaders().getFirst(Headers.ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(EventStream.TYPE);
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
        Map<String, Object> message;
        try {
            byte[] body = exchange.getInputStream().readAllBytes();
            message = CallMessages.parse(codec, body);
        } catch (RequestTooBigException e) {
            refuse(exchange, tooLarge());
            return;
        } catch (IOException e) {
            exchange.endExchange(); // the client went away
            return;
        } catch (CallFailure f) {
            refuse(exchange, f);
            return;
        }
        CallResponse response = new ExchangeResponse(exchange);
        Reply reply = wantsEvents(exchange) ? new EventStream(codec, response, executor).reply() : new JsonReply(codec, response);
        message.put("ret", reply);
        if (!sessions.offer(new CallSession(channelName(exchange), message, reply, principal(exchange)))) {
            return; // aborted: the reply answered 503
        }
        awaitAnswer(reply);
    }

    /** Holds the dispatched thread until the call is answered (bounded) and then finished. */
    private void awaitAnswer(Reply reply) {
        try {
            reply.answered().get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
            reply.finished().get();
        } catch (TimeoutException e) {
            reply.expire(callTimeout);
        } catch (ExecutionException e) {
            reply.abandon();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply.abandon();
        }
    }

    private static void refuse(HttpServerExchange exchange, CallFailure failure) {
        exchange.setStatusCode(failure.status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Problems.JSON);
        byte[] body = Problems.body(failure.type, failure.getMessage());
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
