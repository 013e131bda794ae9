package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every missing or bad setting fails deployment with one DeploymentException naming each key. */
class ConfigurationValidationTest {

    @Singleton
    static class NeedsOrders {
        @Inject
        @Channel("orders")
        Sender orders;
    }

    @Singleton
    static class NeedsReceiver {
        @Inject
        @Channel("remote")
        Receiver remote;
    }

    @Singleton
    static class NeedsTransport {
        @Inject
        @Channel("local")
        Transport local;
    }

    @Singleton
    static class BadEndpoints {
        @ChannelEndpoint("two-messages")
        void twoMessages(String a, String b) {
        }

        @ChannelEndpoint("twice")
        void first() {
        }

        @ChannelEndpoint("twice")
        void second() {
        }
    }

    @Singleton
    static class OneEndpoint {
        @ChannelEndpoint("only")
        void only() {
        }
    }

    /** Boots a container that must fail; returns the DeploymentException's text, causes included. */
    private static String deploymentFailure(Map<String, String> config, Class<?>... beans) {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> TestContainer.start(config, beans).close());
        StringBuilder text = new StringBuilder();
        boolean deployment = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            deployment |= t instanceof DeploymentException;
            text.append(t.getMessage()).append('\n');
        }
        assertTrue(deployment, "not a DeploymentException: " + failure);
        return text.toString();
    }

    private static void assertNames(String message, String... keys) {
        for (String key : keys) {
            assertTrue(message.contains(key), "'" + key + "' not named in:\n" + message);
        }
    }

    @Test
    void missingUriFailsDeploymentNamingTheKey() {
        String message = deploymentFailure(Map.of(), NeedsOrders.class);
        assertNames(message, "libchan.channel.orders.uri", NeedsOrders.class.getName() + ".orders");
    }

    @Test
    void everyBadSettingIsNamedInOneDeploymentError() {
        String message = deploymentFailure(Map.of(
                "libchan.channel.orders.uri", "inmem:orders",
                "libchan.channel.orders.connect", "sometimes",
                "libchan.channel.orders.max-message-bytes", "lots",
                "libchan.channel.orders.max-mesage-bytes", "1",
                "libchan.channel.audit.uri", "nosuch://host:1",
                "libchan.channel.audit.reconnect-delay", "-5s",
                "libchan.server.api.default-endpoint", "elsewhere", // a server without listen (handed a listener) is checked too
                "libchan.endpoint.nowhere.max-concurrency", "2",
                "libchan.endpoint.only.max-concurrency", "-1",
                "libchan.threads", "many"), NeedsOrders.class, OneEndpoint.class);
        assertNames(message,
                "libchan.channel.orders.connect",
                "libchan.channel.orders.max-message-bytes",
                "libchan.channel.orders.max-mesage-bytes",
                "libchan.channel.audit.uri",
                "libchan.channel.audit.reconnect-delay",
                "libchan.server.api.default-endpoint",
                "libchan.endpoint.nowhere.max-concurrency",
                "libchan.endpoint.only.max-concurrency",
                "libchan.threads");
    }

    @Test
    void receiverOfAChannelToAPeerIsRefused() {
        String message = deploymentFailure(Map.of("libchan.channel.remote.uri", "inmem://elsewhere"),
                NeedsReceiver.class);
        assertNames(message, "libchan.channel.remote.uri", "Receiver", NeedsReceiver.class.getName() + ".remote");
    }

    @Test
    void transportOfAnInAppChannelIsRefused() {
        String message = deploymentFailure(Map.of("libchan.channel.local.uri", "inmem:local"), NeedsTransport.class);
        assertNames(message, "libchan.channel.local.uri", "Transport");
    }

    @Test
    void remoteNameOnAnInAppChannelIsRefused() {
        String message = deploymentFailure(Map.of(
                "libchan.channel.orders.uri", "inmem:orders",
                "libchan.channel.orders.remote-name", "orders"), NeedsOrders.class);
        assertNames(message, "libchan.channel.orders.remote-name", "inmem://");
    }

    @Test
    void badEndpointMethodsAreRefused() {
        String message = deploymentFailure(Map.of(), BadEndpoints.class);
        assertNames(message, BadEndpoints.class.getName() + ".twoMessages()", "@ChannelEndpoint(\"twice\")");
    }

    @Test
    void unknownDefaultEndpointIsRefused() {
        String message = deploymentFailure(Map.of(
                "libchan.server.api.listen", "inmem:validation-default",
                "libchan.server.api.default-endpoint", "missing"), OneEndpoint.class);
        assertNames(message, "libchan.server.api.default-endpoint", "missing");
    }

    @Test
    void serverThatCannotListenFailsDeployment() {
        try (Listener taken = Libchan.listen("inmem:validation-taken")) {
            String message = deploymentFailure(Map.of("libchan.server.api.listen", "inmem:validation-taken"),
                    OneEndpoint.class);
            assertNames(message, "libchan.server.api.listen", "already listens");
        }
    }
}
