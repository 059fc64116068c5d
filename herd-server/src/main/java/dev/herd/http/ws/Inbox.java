package dev.herd.http.ws;

import dev.herd.api.WebSocketMessage;

/**
 * Where a connection's whole messages go: a queue the app's thread takes from, or the app's
 * listener. Either way it tells the connection to stop reading the socket while the app lags,
 * so what a fast client sends waits in its own buffers and TCP window, not in the worker's heap.
 */
interface Inbox {

    /** A message arrived. Event loop only. */
    void offer(WebSocketMessage message);

    /** The connection has closed: no more messages. Event loop only. */
    void end();
}
