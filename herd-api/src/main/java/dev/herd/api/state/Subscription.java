package dev.herd.api.state;

/** A listener on a channel; {@link #close} stops it (messages already on their way may still arrive). */
public interface Subscription extends AutoCloseable {

    String channel();

    @Override
    void close();
}
