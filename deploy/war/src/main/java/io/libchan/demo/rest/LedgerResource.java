package io.libchan.demo.rest;

import io.libchan.example.ledger.Booked;
import io.libchan.example.ledger.LedgerEndpoint;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/ledger/{account}}: the committed rows the {@code ledger} channel endpoint wrote, oldest first. */
@Path("ledger")
public class LedgerResource {
    @Inject
    LedgerEndpoint ledger;

    @GET
    @Path("{account}")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Booked> entries(@PathParam("account") String account) {
        return ledger.entries(account);
    }
}
