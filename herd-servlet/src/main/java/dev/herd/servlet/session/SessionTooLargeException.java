package dev.herd.servlet.session;

import dev.herd.api.state.StateLimits;

/**
 * A session whose attributes serialize past what one shared-state value may hold: it is not
 * stored (nor cut), and the request that made it fails with this message.
 */
public final class SessionTooLargeException extends IllegalStateException {

    SessionTooLargeException(String id, int bytes) {
        super("session " + id + " is " + bytes + " bytes serialized, past the shared state's limit of "
                + StateLimits.MAX_VALUE_BYTES + " bytes for one value; keep less in the HttpSession");
    }
}
