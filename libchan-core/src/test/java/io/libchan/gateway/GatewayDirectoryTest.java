package io.libchan.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.libchan.ByteStream;
import io.libchan.Directory;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Pipe;
import io.libchan.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The directory ({@code libchan.directory}) as a gateway answers it: the targets this caller may
 * use and nothing else; and a server's listing offered per caller. Real tcp:// sessions on loopback.
 */
class GatewayDirectoryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final Closing closing = new Closing();

    @AfterEach
    void tearDown() throws Exception {
        closing.close();
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closing.add(c);
        return c;
    }

    /** A client session to a listener whose one accepted session is handed to {@code serve}, as the peer holding {@code roles}. */
    private Transport clientServedAs(Set<String> roles, java.util.function.Consumer<Transport> serve) throws Exception {
        Listener listener = closeLater(Libchan.listen("tcp://127.0.0.1:0"));
        CompletableFuture<Transport> accepted = listener.acceptAsync();
        Transport client = closeLater(Libchan.connect(listener.uri().toString()));
        Transport server = closeLater(accepted.get(30, TimeUnit.SECONDS));
        serve.accept(new RoleTransport(server, roles));
        return client;
    }

    private Gateway gateway(TcpTarget echo) {
        return closeLater(Gateway.builder()
                .config(Map.of("libchan.gateway.db.target", echo.uri().toString(), "libchan.gateway.db.roles", "dba",
                        "libchan.gateway.web.target", echo.uri().toString()))
                .build());
    }

    @Test
    void aGatewayListsOnlyTheTargetsTheCallersRolesAllow() throws Exception {
        TcpTarget echo = closeLater(TcpTarget.echo());
        Gateway gateway = gateway(echo);
        Transport dba = clientServedAs(Set.of("dba"), gateway::serve);
        Transport guest = clientServedAs(Set.of(), gateway::serve);

        assertEquals(Directory.Listing.of(Set.of(), Set.of("db", "web")), Directory.list(dba, WAIT));
        assertEquals(Directory.Listing.of(Set.of(), Set.of("web")), Directory.list(guest, WAIT));
        assertEquals(Set.of("web"), GatewayClient.over(guest).targets());
        // what the guest is not shown, it may not use either
        TunnelRefusedException e = assertThrows(TunnelRefusedException.class, () -> GatewayClient.over(guest).connect("db"));
        assertEquals(Gateway.FORBIDDEN, e.type());
    }

    @Test
    void theAnswerIsOneMapOfSortedNameListsThenRetCloses() throws Exception {
        TcpTarget echo = closeLater(TcpTarget.echo());
        Gateway gateway = gateway(echo);
        Transport dba = clientServedAs(Set.of("dba"), gateway::serve);
        Pipe ret = Pipe.create();
        dba.newSendChannel(Directory.CHANNEL).send(Map.of("ret", ret.sender()));
        assertEquals(Map.of("endpoints", List.of(), "targets", List.of("db", "web")), ret.receiver().receive(Object.class, WAIT));
        assertThrows(io.libchan.EndOfChannelException.class, () -> ret.receiver().receive(Object.class, WAIT));
    }

    @Test
    void aTargetNotOfferedOnASessionIsUnknownThereAndNotListed() throws Exception {
        TcpTarget echo = closeLater(TcpTarget.echo());
        Gateway gateway = gateway(echo);
        // a server that offers only "web" on this session: "db" does not exist for it, whatever its roles
        Transport client = clientServedAs(Set.of("dba"), session -> session.receiveChannelAsync().thenAccept(channel -> {
            if (channel.channelName().equals(java.util.Optional.of(Gateway.CHANNEL))) {
                gateway.serve(session, channel, "web"::equals);
            }
        }));
        GatewayClient gw = GatewayClient.over(client);
        TunnelRefusedException e = assertThrows(TunnelRefusedException.class, () -> gw.connect("db"));
        assertEquals(Gateway.UNKNOWN_TARGET, e.type());
        assertEquals(Set.of("web"), gateway.targetsFor(new RoleTransport(client, Set.of("dba")), "web"::equals));
    }

    @Test
    void aServerAnswersItsOwnListingPerRequest() throws Exception {
        List<String> served = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("echo"));
        Transport client = clientServedAs(Set.of(), session -> session.receiveChannelAsync().thenAccept(channel ->
                Directory.serve(channel, Runnable::run, () -> Directory.Listing.of(served, Set.of("pg")))));
        Pipe ret = Pipe.create();
        var channel = client.newSendChannel(Directory.CHANNEL);
        channel.send(Map.of("ret", ret.sender()));
        assertEquals(Map.of("endpoints", List.of("echo"), "targets", List.of("pg")), ret.receiver().receive(Object.class, WAIT));
        served.add("billing");
        Pipe again = Pipe.create();
        channel.send(Map.of("Ret", again.sender())); // Go's spelling
        assertEquals(Directory.Listing.of(List.of("billing", "echo"), Set.of("pg")),
                Directory.Listing.fromMessage(again.receiver().receive(Object.class, WAIT)));
    }

    @Test
    void aTunnelOpenedThroughTheClientObjectCarriesBytes() throws Exception {
        TcpTarget echo = closeLater(TcpTarget.echo());
        Gateway gateway = gateway(echo);
        Transport guest = clientServedAs(Set.of(), gateway::serve);
        ByteStream tunnel = GatewayClient.over(guest).withTimeout(WAIT).connect("web");
        tunnel.output().write("ping".getBytes(StandardCharsets.US_ASCII));
        tunnel.closeWrite();
        assertEquals("ping", new String(tunnel.input().readAllBytes(), StandardCharsets.US_ASCII));
        tunnel.close();
    }
}
