package io.libchan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.RemoteErrorException;
import io.libchan.Transport;
import io.libchan.example.echo.EchoClientChecks;
import io.libchan.it.other.OtherEndpoint;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A second application with a {@code @ChannelEndpoint} on the same server as the demo (issue 16): the
 * demo's configuration is its own, so the other WAR, which configures nothing, opens no libchan
 * listener (when the demo's raw server was a server-wide system property, it opened one on the
 * demo's port, serving its own endpoint anonymously, and the demo then failed to deploy), and the
 * demo deploys beside it and answers on its port with its own endpoints only.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SecondDeploymentIT {
    private static final String DEMO = "demo";
    private static final String OTHER = "other";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Deployment(name = DEMO, managed = false, testable = false)
    static WebArchive demo() {
        return DemoWar.archive();
    }

    /** A tiny WAR: one endpoint bean, libchan-cdi and libchan-core with their libraries, as the demo bundles them. */
    @Deployment(name = OTHER, managed = false, testable = false)
    static WebArchive other() {
        WebArchive war = ShrinkWrap.create(WebArchive.class, "libchan-other.war")
                .addClass(OtherEndpoint.class)
                .addAsWebInfResource(new StringAsset("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\""
                        + " bean-discovery-mode=\"all\"/>\n"), "beans.xml");
        WebArchive demo = DemoWar.archive();
        demo.getContent(DemoWar::isLibchanLibrary).forEach((path, node) ->
                war.add(node.getAsset(), path));
        return war;
    }


    @ArquillianResource
    Deployer deployer;

    @Test
    void aSecondWarOpensNoListenerAndTheDemoDeploysBesideIt() throws Exception {
        deployer.deploy(OTHER);
        try {
            EchoClientChecks.noSessionIsServedAt(DemoWar.libchanUri());
            EchoClientChecks.noSessionIsServedAt(DemoWar.libchanTlsUri());
            deployer.deploy(DEMO);
            try (Transport session = Libchan.connect(DemoWar.libchanUri())) {
                EchoClientChecks.replyComesBackOnTheNestedReplyChannel(session);
                Pipe reply = Pipe.create();
                session.newSendChannel(OtherEndpoint.NAME).send(Map.of("ret", reply.sender()));
                RemoteErrorException error = ErrorReply.asError(reply.receiver().receive(Map.class, WAIT)).orElseThrow();
                assertEquals("io.libchan.cdi.UnknownEndpointException", error.type(), error.getMessage());
            } finally {
                deployer.undeploy(DEMO);
            }
        } finally {
            deployer.undeploy(OTHER);
        }
    }
}
