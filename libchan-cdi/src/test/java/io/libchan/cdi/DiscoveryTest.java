package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Pipe;
import io.libchan.Sender;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The module works as shipped: the extension is a registered service and beans.xml comes with it. */
class DiscoveryTest {

    @Singleton
    static class Echo {
        @ChannelEndpoint("echo")
        String echo(Text message) {
            return message.text();
        }
    }

    record Text(String text, Sender ret) {
    }

    @Test
    void extensionIsFoundThroughItsServiceEntryWhenDiscoveryIsOn() {
        try (TestContainer app = TestContainer.startDiscovering(Map.of("libchan.channel.echo.uri", "inmem:echo"),
                Echo.class)) {
            Pipe reply = Pipe.create();
            app.select(Sender.class, Channel.Literal.of("echo")).send(Map.of("text", "found", "ret", reply.sender()));
            assertEquals("found", reply.receiver().receive(String.class, Await.TIMEOUT));
        }
    }

    @Test
    void beansXmlWithAnnotatedDiscoveryIsShipped() throws IOException {
        boolean found = false;
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/beans.xml"))) {
            if (url.toString().contains("libchan-cdi")) {
                try (InputStream in = url.openStream()) {
                    String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    found = xml.contains("bean-discovery-mode=\"annotated\"");
                }
            }
        }
        assertTrue(found, "META-INF/beans.xml of libchan-cdi with bean-discovery-mode=\"annotated\"");
    }
}
