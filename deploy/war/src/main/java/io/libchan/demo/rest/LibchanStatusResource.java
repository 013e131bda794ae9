package io.libchan.demo.rest;

import io.libchan.demo.raw.RawLibchanServer;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/libchan}: where the raw libchan service listens, how many sessions it serves, and
 * the Jackson version libchan runs on (the one bundled in the WAR, not the server's).
 */
@Path("libchan")
public class LibchanStatusResource {

    @Inject
    RawLibchanServer server;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("listen", server.uri().toString());
        status.put("sessions", server.openSessions());
        status.put("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        return status;
    }
}
