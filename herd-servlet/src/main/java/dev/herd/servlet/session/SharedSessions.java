package dev.herd.servlet.session;

import dev.herd.api.state.SharedState;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.FilterMapping;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHandler;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.NullSessionCache;

import java.util.EnumSet;

/**
 * Makes a servlet app's {@code HttpSession} one session for all workers: Jetty keeps no copy in
 * the worker ({@link NullSessionCache}: every request reads the session from the shared state,
 * so it sees what another worker wrote a moment ago), writes a new session at once, and writes
 * a changed one before the response goes out (so the client's next request, on whichever
 * worker, finds it).
 */
public final class SharedSessions {

    /** Servlet's usual default, for apps whose web.xml does not say (Jetty's own is "never"). */
    public static final int DEFAULT_TIMEOUT_SECONDS = 30 * 60;
    private static final String FILTER = "herd-session-outage";

    private SharedSessions() {
    }

    /**
     * Session ids without a worker's name: Jetty would otherwise end each id with its node's
     * name (".node0") and take an id from another node for one to rewrite.
     */
    public static void ids(Server server) {
        DefaultSessionIdManager ids = new DefaultSessionIdManager(server);
        ids.setWorkerName("");
        server.addBean(ids, true);
    }

    /** Before the context starts: its web.xml may still set its own session timeout. */
    public static void install(ServletContextHandler context) {
        SessionHandler sessions = context.getSessionHandler();
        if (sessions == null) {
            return;
        }
        sessions.setMaxInactiveInterval(DEFAULT_TIMEOUT_SECONDS);
        NullSessionCache cache = new NullSessionCache(sessions);
        cache.setSaveOnCreate(true);
        cache.setFlushOnResponseCommit(true);
        cache.setSessionDataStore(new SharedSessionDataStore(SharedState.current()));
        sessions.setSessionCache(cache);

        FilterHolder guard = new FilterHolder(SessionOutage.class);
        guard.setName(FILTER);
        guard.setAsyncSupported(true);
        FilterMapping mapping = new FilterMapping();
        mapping.setFilterName(FILTER);
        mapping.setPathSpec("/*");
        mapping.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST));
        ServletHandler handler = context.getServletHandler();
        handler.prependFilter(guard);
        handler.prependFilterMapping(mapping);
    }
}
