package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Pipe;
import io.libchan.Sender;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code codec} key of a channel and of a server: checked at deployment, applied to the session. */
class CodecConfigTest {
    record Order(String item, Sender ret) {
    }

    @ApplicationScoped
    static class OrderDesk {
        @ChannelEndpoint("orders")
        String take(Order order) {
            return "confirmed " + order.item();
        }
    }

    @Singleton
    static class Shop {
        @Inject
        @Channel("orders")
        Sender orders;
    }

    @Test
    void anUnknownCodecFailsDeploymentNamingTheKeyAndTheValue() {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> TestContainer.start(Map.of(
                "libchan.channel.orders.uri", "tcp://127.0.0.1:1",
                "libchan.channel.orders.codec", "yaml",
                "libchan.server.api.listen", "inmem:codec-api",
                "libchan.server.api.codec", "toml"), Shop.class, OrderDesk.class).close());
        StringBuilder text = new StringBuilder();
        boolean deployment = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            deployment |= t instanceof DeploymentException;
            text.append(t.getMessage()).append('\n');
        }
        assertTrue(deployment, "not a DeploymentException: " + failure);
        for (String named : new String[] {"libchan.channel.orders.codec", "'yaml'", "libchan.server.api.codec", "'toml'"}) {
            assertTrue(text.toString().contains(named), named + " not named in:\n" + text);
        }
    }

    @Test
    void aChannelAndAServerSetToJsonServeACall() {
        try (TestContainer server = TestContainer.start(Map.of(
                "libchan.server.api.listen", "tcp://127.0.0.1:0",
                "libchan.server.api.anonymous", "true",
                "libchan.server.api.endpoints", "orders",
                "libchan.server.api.codec", "json"), OrderDesk.class)) {
            String uri = server.select(ChannelServers.class).uri("api").toString();
            try (TestContainer client = TestContainer.start(Map.of(
                    "libchan.channel.orders.uri", uri,
                    "libchan.channel.orders.remote-name", "orders",
                    "libchan.channel.orders.codec", "json"), Shop.class)) {
                Pipe reply = Pipe.create();
                client.select(Shop.class).orders.send(new Order("tea", reply.sender()));
                assertEquals("confirmed tea", reply.receiver().receive(String.class, Await.TIMEOUT));
            }
        }
    }
}
