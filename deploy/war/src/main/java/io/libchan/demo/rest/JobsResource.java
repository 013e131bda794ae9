package io.libchan.demo.rest;

import io.libchan.ErrorReply;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.cdi.Channel;
import io.libchan.example.pool.JobRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /api/jobs} with the task as the body: submits it to the worker pool through an
 * injected in-app channel ({@code libchan.channel.jobs.uri=inmem:jobs}) and answers with the job's
 * result as JSON once a worker has done it (502 with the error reply if it failed, 504 after 30 s).
 * The request thread is not held meanwhile: the response is resumed by the reply channel.
 */
@Path("jobs")
public class JobsResource {
    @Inject
    @Channel("jobs")
    Sender jobs;

    @POST
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.APPLICATION_JSON)
    public void submit(String task, @Suspended AsyncResponse response) {
        Pipe reply = Pipe.create();
        response.setTimeout(30, TimeUnit.SECONDS);
        response.setTimeoutHandler(r -> {
            reply.receiver().close(); // a late answer finds no one listening
            r.resume(Response.status(Response.Status.GATEWAY_TIMEOUT)
                    .entity(ErrorReply.of("timeout", "no answer within 30 s")).build());
        });
        jobs.send(new JobRequest(task, null, reply.sender()));
        reply.receiver().receiveAsync(Object.class).whenComplete((answer, failure) -> {
            if (failure != null) {
                response.resume(Response.status(Response.Status.BAD_GATEWAY).entity(ErrorReply.of(failure)).build());
            } else if (ErrorReply.asError(answer).isPresent()) {
                response.resume(Response.status(Response.Status.BAD_GATEWAY).entity(answer).build());
            } else {
                response.resume(Response.ok(answer).build());
            }
        });
    }
}
