package io.libchan.demo.rest;

import io.libchan.Libchan;
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
 * {@code GET /api/libchan}: the configured libchan servers (listen address without its query, open
 * sessions), the pool's workers, the URI schemes libchan can use here, and the Jackson version
 * libchan runs on (the one bundled in the WAR, not the server's).
 */
@Path("libchan")
public class LibchanStatusResource {
    private static final String PREFIX = "libchan.server.";
    private static final String LISTEN = ".listen";

    @Inject
    Config config;

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
            if (key.startsWith(PREFIX) && key.endsWith(LISTEN)) {
                String name = key.substring(PREFIX.length(), key.length() - LISTEN.length());
                Map<String, Object> server = new LinkedHashMap<>();
                server.put("listen", config.getValue(key, String.class).replaceFirst("\\?.*", ""));
                server.put("sessions", open.getOrDefault(name, 0));
                servers.put(name, server);
            }
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("servers", servers);
        status.put("workers", pool.workers());
        status.put("schemes", Libchan.schemes());
        status.put("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        return status;
    }
}
