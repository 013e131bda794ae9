package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.cdi.EndpointForbiddenException;
import io.libchan.cdi.UnknownEndpointException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code POST {app-path}/libchan/call[/{endpoint}]} on a real JAX-RS runtime (RESTEasy in a servlet
 * deployment), answering exactly as PROTOCOL.md section 13.6 says (the statuses and bodies of the
 * embedded endpoint), behind the application's BASIC-auth constraint, beside its own resource.
 */
@Timeout(60)
class RestCallTest {
    static FallbackServer app;

    @BeforeAll
    static void start() throws Exception {
        app = FallbackServer.start(TestConfig.PROPERTIES, Shop.class);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    private static HttpResponse<String> call(String endpoint, String user, String json) throws Exception {
        return Http.post(app.http("/api/libchan/call" + (endpoint == null ? "" : "/" + endpoint)), user, null, json);
    }

    @Test
    void aCallGetsTheEndpointsReplyAsJson() throws Exception {
        HttpResponse<String> r = call("echo", "alice", "{\"n\":7,\"bytes\":{\"$bin\":\"AQID\"}}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""));
        assertTrue(r.body().endsWith("}\n"), r.body());
        assertTrue(r.body().contains("\"n\":7"), r.body());
        assertTrue(r.body().contains("\"bytes\":{\"$bin\":\"AQID\"}"), r.body());
        assertTrue(r.body().contains("\"endpoint\":\"echo\""), r.body());
        assertTrue(r.body().contains("\"source\":\"rest\""), r.body());
    }

    @Test
    void theRequestsPrincipalIsTheSessionsPeerPrincipal() throws Exception {
        assertTrue(call("echo", "carol", "{}").body().contains("\"principal\":\"carol\""));
        assertTrue(call("echo", "alice", "{}").body().contains("\"principal\":\"alice\""));
    }

    @Test
    void aCallWithoutANameGoesToTheDefaultEndpoint() throws Exception {
        HttpResponse<String> r = call(null, "alice", "{\"x\":1}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"endpoint\":\"echo\""), r.body());
    }

    @Test
    void anyAcceptButEventStreamGetsTheJsonReply() throws Exception {
        for (String accept : new String[] {"*/*", "application/json", "text/plain"}) {
            HttpResponse<String> r = Http.post(app.http("/api/libchan/call/echo"), "alice", accept, "{}");
            assertEquals(200, r.statusCode(), accept + ": " + r.body());
            assertTrue(r.body().contains("\"endpoint\":\"echo\""), accept + ": " + r.body());
        }
    }

    @Test
    void rolesAllowedOnTheEndpointIsCheckedAgainstTheRequestsRoles() throws Exception {
        HttpResponse<String> allowed = call("audit", "alice", "{}");
        assertEquals("\"audited by alice\"\n", allowed.body());
        HttpResponse<String> refused = call("audit", "carol", "{}");
        assertEquals(200, refused.statusCode()); // an error reply is an ordinary reply (13.6.2)
        assertTrue(refused.body().contains(EndpointForbiddenException.class.getName()), refused.body());
    }

    @Test
    void anEndpointOutsideTheAllowListIsUnknown() throws Exception {
        HttpResponse<String> r = call("internal", "alice", "{}");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains(UnknownEndpointException.class.getName()), r.body());
    }

    @Test
    void withoutCredentialsTheConstraintAnswers401BeforeLibchan() throws Exception {
        HttpResponse<String> r = call("echo", null, "{}");
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
    }

    @Test
    void aUserWithoutTheRoleOfTheConstraintGets403() throws Exception {
        assertEquals(403, call("echo", "bob", "{}").statusCode());
    }

    @Test
    void theApplicationsOwnResourceStillAnswersBesideLibchan() throws Exception {
        HttpResponse<String> r = Http.send(Http.request(app.http("/api/hello?name=ada"), null).GET().build());
        assertEquals(200, r.statusCode());
        assertEquals("hello ada", r.body());
    }

    @Test
    void refusalsHaveTheProtocolsStatusesAndErrorBodies() throws Exception {
        HttpResponse<String> notJson = Http.send(Http.request(app.http("/api/libchan/call/echo"), "alice")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hi")).build());
        assertEquals(415, notJson.statusCode());
        assertTrue(notJson.body().contains("\"type\":\"unsupported-media-type\""), notJson.body());

        HttpResponse<String> withRet = call("echo", "alice", "{\"Ret\":1}");
        assertEquals(400, withRet.statusCode());
        assertTrue(withRet.body().contains("\"type\":\"bad-request\""), withRet.body());

        HttpResponse<String> channel = call("echo", "alice", "{\"up\":{\"$receiver\":3}}");
        assertEquals(400, channel.statusCode());

        HttpResponse<String> notAnObject = call("echo", "alice", "[1,2]");
        assertEquals(400, notAnObject.statusCode());

        HttpResponse<String> tooLarge = call("echo", "alice", "{\"s\":\"" + "x".repeat(70_000) + "\"}");
        assertEquals(413, tooLarge.statusCode());
        assertTrue(tooLarge.body().contains("\"type\":\"too-large\""), tooLarge.body());

        HttpResponse<String> get = Http.send(Http.request(app.http("/api/libchan/call/echo"), "alice").GET().build());
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
        assertTrue(get.body().contains("\"type\":\"method-not-allowed\""), get.body());

        HttpResponse<String> plainWs = Http.send(Http.request(app.http("/api/libchan/ws"), "alice").GET().build());
        assertEquals(426, plainWs.statusCode());
        assertEquals("websocket", plainWs.headers().firstValue("Upgrade").orElse(""));
    }

    @Test
    void noReplyWithinTheCallTimeoutIs504() throws Exception {
        HttpResponse<String> r = call("hold", "alice", "{}");
        assertEquals(504, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"type\":\"timeout\""), r.body());
    }

    @Test
    void aReplyChannelClosedWithoutAReplyIs204() throws Exception {
        HttpResponse<String> r = call("note", "alice", "{\"text\":\"hi\"}");
        assertEquals(204, r.statusCode(), r.body());
        assertEquals("", r.body());
    }

    @Test
    void aReplyCarryingAReceiverIs406PointingToTheEventStream() throws Exception {
        HttpResponse<String> r = call("events", "alice", "{}");
        assertEquals(406, r.statusCode(), r.body()); // its reply carries a Receiver: not JSON
        assertTrue(r.body().contains("text/event-stream"), r.body());
    }
}
