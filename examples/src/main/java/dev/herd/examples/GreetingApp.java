package dev.herd.examples;

import dev.herd.api.Handler;
import dev.herd.api.Lifecycle;
import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.api.WorkerInfo;

/**
 * A blocking app: greets by name and says which worker answered.
 *
 * <pre>
 * ./build package
 * ./herd serve -w 2 --app-jar examples/target/herd-examples.jar dev.herd.examples.GreetingApp
 * curl 'http://127.0.0.1:8000/?name=Ada'
 * </pre>
 */
public final class GreetingApp implements Handler, Lifecycle {

    private volatile WorkerInfo worker;

    @Override
    public void started(WorkerInfo worker) {
        this.worker = worker;
    }

    @Override
    public Response handle(Request request) {
        String name = request.query("name").orElse("world");
        return Response.text("Hello, " + name + "! (worker " + worker.index() + ", pid " + worker.pid() + ")\n");
    }
}
