package io.libchan.rest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** HTTP/1.1 requests of the tests, with the JDK client. */
final class Http {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    private Http() {
    }

    static HttpRequest.Builder request(URI uri, String user) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + TestIdentities.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    /** POSTs {@code json} with {@code Content-Type: application/json} and the given Accept (null: none). */
    static HttpResponse<String> post(URI uri, String user, String accept, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(uri, user).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return send(b.build());
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpClient client() {
        return CLIENT;
    }
}
