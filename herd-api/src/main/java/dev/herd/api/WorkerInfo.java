package dev.herd.api;

/**
 * Who is serving: the worker process an app instance lives in.
 *
 * @param pid            the worker's operating-system process id
 * @param index          the worker's slot, 1..workers; a replacement worker takes the slot of
 *                       the one it replaces
 * @param generation     the generation the worker belongs to; a reload starts the next one
 * @param executionModel the execution model name: {@code sync}, {@code threads},
 *                       {@code virtual} or {@code async}
 */
public record WorkerInfo(long pid, int index, int generation, String executionModel) {
}
