package dev.herd.lab;

import io.netty.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * One event loop's share of a load run ({@link LoadLane} for HTTP, {@link WebSocketLane} for
 * WebSocket messages). Its totals are read only after {@link #stop} completed.
 */
interface Lane {

    void start();

    Future<?> stop();

    Histogram histogram();

    long completed();

    long errors();
}
