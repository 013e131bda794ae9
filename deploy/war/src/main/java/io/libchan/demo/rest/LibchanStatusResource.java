package io.libchan.demo.rest;

import io.libchan.Libchan;
import io.libchan.cdi.ChannelServers;
import io.libchan.demo.SessionCounter;
import io.libchan.example.pool.WorkerPool;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;

/**
 * {@code GET /api/status}: the configured libchan servers (where each is reachable, without the query:
 * {@link ChannelServers#uri}, so the real port of a {@code :0} one, or the path of a handed-over listener;
 * open sessions), the sessions of libchan-rest-fallback ({@code rest}), the pool's workers, the URI
 * schemes libchan can use here, and the Jackson version libchan runs on (the one bundled in the WAR,
 * not the server's). Not below {@code /api/libchan}, which is libchan-rest-fallback's (and protected).
 */
@Path("status")
public class LibchanStatusResource {
    private static final String PREFIX = "libchan.server.";

    @Inject
    Config config;

    @Inject
    ChannelServers channelServers;

    @Inject
    SessionCounter sessions;

    @Inject
    WorkerPool pool;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> status() {
        Map<String, Integer> open = sessions.openSessions();
        Map<String, Object> servers = new TreeMap<>();
        for (String key : config.getPropertyNames()) {
            if (key.startsWith(PREFIX) && key.indexOf('.', PREFIX.length()) > 0) {
                String name = key.substring(PREFIX.length(), key.lastIndexOf('.'));
                servers.computeIfAbsent(name, n -> server(n, open));
            }
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("servers", servers);
        status.put("rest", Map.of("sessions", open.getOrDefault("rest", 0)));
        status.put("workers", pool.workers());
        status.put("schemes", Libchan.schemes());
        status.put("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        return status;
    }

    private Map<String, Object> server(String name, Map<String, Integer> open) {
        Map<String, Object> server = new LinkedHashMap<>();
        try {
            server.put("listen", channelServers.uri(name).toString().replaceFirst("\\?.*", ""));
        } catch (IllegalStateException e) {
            server.put("listen", "(no listener handed over yet)");
        }
        server.put("sessions", open.getOrDefault(name, 0));
        return server;
    }
}
