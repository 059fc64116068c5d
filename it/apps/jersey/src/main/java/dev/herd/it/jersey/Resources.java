package dev.herd.it.jersey;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The resources herd's servlet tests call: plain, JSON, suspended, server-sent events. */
@Path("/")
public class Resources {

    /** A JSON body in, a JSON body out (Jackson through jersey-media-json-jackson). */
    public record Order(String item, int quantity) {
    }

    public record Receipt(String item, int quantity, long total, long pid) {
    }

    @GET
    @Path("pid")
    @Produces(MediaType.TEXT_PLAIN)
    public String pid() {
        return Long.toString(ProcessHandle.current().pid());
    }

    @GET
    @Path("sleep")
    @Produces(MediaType.TEXT_PLAIN)
    public String sleep(@QueryParam("ms") long millis) throws InterruptedException {
        Thread.sleep(millis);
        return "slept " + millis;
    }

    @POST
    @Path("orders")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Receipt order(Order order) {
        return new Receipt(order.item(), order.quantity(), order.quantity() * 250L, ProcessHandle.current().pid());
    }

    /** Suspended: the request's thread goes back to the pool; another thread resumes it later. */
    @GET
    @Path("later")
    @Produces(MediaType.TEXT_PLAIN)
    public void later(@QueryParam("ms") long millis, @Suspended AsyncResponse response) {
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS)
                .execute(() -> response.resume("resumed after " + millis + " ms on " + Thread.currentThread().getName()));
    }

    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@QueryParam("count") int count, @Context SseEventSink sink, @Context Sse sse) {
        Thread.ofPlatform().daemon().start(() -> {
            try (sink) {
                for (int i = 1; i <= count; i++) {
                    sink.send(sse.newEventBuilder().name("tick").id(Integer.toString(i)).data("tick " + i).build())
                            .toCompletableFuture().join();
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException | RuntimeException e) {
                // The client went away; nothing more to send.
            }
        });
    }
}
