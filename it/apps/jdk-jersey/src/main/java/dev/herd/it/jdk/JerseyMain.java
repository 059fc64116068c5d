package dev.herd.it.jdk;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

import java.net.URI;

/** Jersey's own recipe for the JDK's HTTP server, unchanged: the port it names is herd's to replace. */
public class JerseyMain {

    public record Note(String text, int length) {
    }

    @Path("/")
    public static class Notes {
        @GET
        @Path("hello")
        @Produces(MediaType.TEXT_PLAIN)
        public String hello(@QueryParam("name") String name) {
            return "hello " + (name == null ? "world" : name) + " from " + ProcessHandle.current().pid();
        }

        @POST
        @Path("notes")
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        public Note note(Note note) {
            return new Note(note.text().toUpperCase(), note.text().length());
        }
    }

    public static void main(String[] args) {
        ResourceConfig config = new ResourceConfig(Notes.class);
        JdkHttpServerFactory.createHttpServer(URI.create("http://localhost:9998/"), config);
    }
}
