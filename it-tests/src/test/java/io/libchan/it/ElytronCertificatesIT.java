package io.libchan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.RemoteErrorException;
import io.libchan.Sender;
import io.libchan.SessionRefusedException;
import io.libchan.Transport;
import io.libchan.it.certs.WhoAmIEndpoint;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Raw TLS with client certificates mapped to roles by WildFly's own security domain (Elytron, issue
 * 16): a WAR with a {@code @RolesAllowed("libchan")} endpoint, a {@code tls://} listener with
 * {@code clientAuth=need} and no {@code PeerAuthenticator} of its own. The certificate subject's CN is
 * looked up in the deployment's domain (ApplicationDomain: the users and groups deploy/wildfly/configure.sh
 * put in ApplicationRealm): the demo user {@code libchan} (group libchan) calls the endpoint, the
 * {@code guest} (no group) is forbidden it, and a certificate the domain does not know is refused.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ElytronCertificatesIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Deployment(testable = false)
    static WebArchive war() {
        String config = String.join("\n",
                "libchan.server.certs.listen=" + listenUri(),
                "libchan.server.certs.keystore=" + System.getProperty("it.keystore"),
                "libchan.server.certs.keystore-password=" + System.getProperty("it.keystore.password"),
                "libchan.server.certs.truststore=" + ClientCertificates.trustStore(),
                "libchan.server.certs.truststore-password=" + ClientCertificates.PASSWORD,
                "libchan.server.certs.default-endpoint=" + WhoAmIEndpoint.NAME,
                "");
        // a login for the web part, as any secured WAR has: it ties the deployment to its security domain
        String webXml = String.join("\n",
                "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">",
                "  <security-constraint>",
                "    <web-resource-collection><web-resource-name>all</web-resource-name><url-pattern>/*</url-pattern></web-resource-collection>",
                "    <auth-constraint><role-name>libchan</role-name></auth-constraint>",
                "  </security-constraint>",
                "  <login-config><auth-method>BASIC</auth-method><realm-name>ApplicationRealm</realm-name></login-config>",
                "  <security-role><role-name>libchan</role-name></security-role>",
                "</web-app>", "");
        WebArchive war = ShrinkWrap.create(WebArchive.class, "libchan-certs.war")
                .addClass(WhoAmIEndpoint.class)
                .addAsWebInfResource(new StringAsset("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\""
                        + " bean-discovery-mode=\"all\"/>\n"), "beans.xml")
                .addAsWebInfResource(new StringAsset(webXml), "web.xml")
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties");
        DemoWar.archive().getContent(DemoWar::isLibchanLibrary).forEach((path, node) -> war.add(node.getAsset(), path));
        return war;
    }

    private static String listenUri() {
        return "tls://127.0.0.1:" + WildFlyPorts.port("it.libchan.certs.port") + "?clientAuth=need&drainTimeout=2s";
    }


    private static String uri() {
        return "tls://127.0.0.1:" + WildFlyPorts.port("it.libchan.certs.port");
    }

    private static Object whoAmI(Transport session) {
        Pipe reply = Pipe.create();
        Sender channel = session.newSendChannel(WhoAmIEndpoint.NAME);
        channel.send(Map.of("ret", reply.sender()));
        Object answer = reply.receiver().receive(Object.class, WAIT);
        channel.close();
        return answer;
    }

    @Test
    void aCertificateOfAUserWithTheRoleReachesTheRolesAllowedEndpoint() {
        try (Transport session = Libchan.connect(java.net.URI.create(uri()), ClientCertificates.client("libchan"))) {
            assertEquals("libchan", whoAmI(session), "the security domain's principal");
        }
    }

    @Test
    void aCertificateOfAUserWithoutTheRoleIsForbiddenTheEndpoint() {
        try (Transport session = Libchan.connect(java.net.URI.create(uri()), ClientCertificates.client("guest"))) {
            Object answer = whoAmI(session);
            RemoteErrorException error = ErrorReply.asError(answer).orElseThrow(() -> new AssertionError("not an error: " + answer));
            assertEquals("io.libchan.cdi.EndpointForbiddenException", error.type(), error.getMessage());
        }
    }

    @Test
    void aCertificateTheSecurityDomainDoesNotKnowIsRefused() throws Exception {
        try (Transport session = Libchan.connect(java.net.URI.create(uri()), ClientCertificates.client("mallory"))) {
            Sender channel = session.newSendChannel(WhoAmIEndpoint.NAME);
            channel.send(Map.of("ret", Pipe.create().sender()));
            ExecutionException ended = assertThrows(ExecutionException.class,
                    () -> session.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(SessionRefusedException.class, ended.getCause());
        }
    }
}
