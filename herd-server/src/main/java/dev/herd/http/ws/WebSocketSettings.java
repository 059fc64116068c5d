package dev.herd.http.ws;

import java.time.Duration;

/**
 * How a worker keeps its WebSockets ({@code --ws-*} settings).
 *
 * @param pingInterval a ping to each client this often; zero: none
 * @param idleTimeout  close (1001) a connection the client sent nothing on for this long; zero: never
 * @param maxMessage   largest message a client may send, in bytes, inflated and joined (1009 past it)
 * @param deflate      whether permessage-deflate is agreed when the client offers it
 * @param origins      the pages that may open one
 * @param writeTimeout close a connection whose client took nothing for this long; zero: never
 */
public record WebSocketSettings(Duration pingInterval, Duration idleTimeout, int maxMessage, boolean deflate,
                                OriginPolicy origins, Duration writeTimeout) {
}
