package io.libchan.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

/** The application's own REST API, which must go on answering beside libchan. */
@Path("hello")
public class HelloResource {
    @GET
    @Produces("text/plain")
    public String hello(@QueryParam("name") String name) {
        return "hello " + (name == null ? "you" : name);
    }
}
