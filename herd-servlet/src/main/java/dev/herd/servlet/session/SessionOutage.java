package dev.herd.servlet.session;

import dev.herd.api.state.StateUnavailableException;
import dev.herd.state.StateOutages;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.session.ManagedSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A request whose session the shared state cannot give right now gets 503 with
 * {@code Retry-After: 1}, as a herd app's request does, instead of running without its session
 * (Jetty would log the failed load and go on as if the client had none: the user would look
 * logged out, and a new session would replace theirs). Jetty resolves the requested session
 * before the first filter, on the same thread, so the store marks the id it failed to load and
 * this filter, first in the chain, answers for it. A session that cannot be saved at the end of
 * the request fails the same way (503), or with 500 when it is too large to share.
 */
public final class SessionOutage extends HttpFilter {

    private static final Logger log = LoggerFactory.getLogger(SessionOutage.class);
    private static final ThreadLocal<Failed> FAILED = new ThreadLocal<>();

    private record Failed(String id, StateUnavailableException outage) {
    }

    static void failed(String id, StateUnavailableException outage) {
        FAILED.set(new Failed(id, outage));
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Failed failed = FAILED.get();
        FAILED.remove();
        if (failed != null && failed.id().equals(request.getRequestedSessionId()) && request.getSession(false) == null) {
            unavailable(request, response, failed.outage());
            return;
        }
        try {
            chain.doFilter(request, response);
            saveBeforeTheResponse(request, response);
        } catch (IOException | ServletException | RuntimeException failure) {
            StateUnavailableException outage = StateOutages.cause(failure);
            if (response.isCommitted()) {
                throw failure;
            }
            if (outage != null) {
                response.reset();
                unavailable(request, response, outage);
            } else if (failure instanceof SessionTooLargeException tooLarge) {
                log.error("{} {}: {}", request.getMethod(), request.getRequestURI(), tooLarge.getMessage());
                response.reset();
                response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            } else {
                throw failure;
            }
        } finally {
            FAILED.remove();
        }
    }

    /**
     * Saves a changed session while the response can still say that it could not be. Jetty would
     * save it as the response commits, and only log a failure then: the client would be told all
     * is well, and the change would be lost. Saving twice costs nothing: Jetty's own save finds the
     * session clean.
     */
    private static void saveBeforeTheResponse(HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session == null || response.isCommitted()) {
            return;
        }
        ManagedSession managed = SessionHandler.ServletSessionApi.getSession(session);
        if (managed == null || !managed.isValid()) {
            return;
        }
        try {
            managed.getSessionManager().getSessionCache().commit(managed);
        } catch (Exception e) {
            // The client hears of it now; Jetty need not try again, and log it again, at commit.
            managed.getSessionData().setDirty(false);
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }

    private static void unavailable(HttpServletRequest request, HttpServletResponse response,
                                    StateUnavailableException outage) throws IOException {
        StateOutages.answered503(request.getMethod() + " " + request.getRequestURI(), outage);
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", "1");
        response.setContentType("text/plain;charset=utf-8");
        response.getOutputStream().write("503 shared state unavailable\n".getBytes(StandardCharsets.UTF_8));
    }
}
