package dev.herd.redis;

import dev.herd.state.StateBackend;
import dev.herd.state.StateBackendProvider;
import dev.herd.state.StateOptions;

import java.net.URI;

/**
 * {@code --state redis://[:PASSWORD@]HOST[:PORT][/DB]}. Opening does not wait for Redis: a worker
 * starts while Redis is down, and its calls fail with a 503 until Redis is back.
 */
public final class RedisBackendProvider implements StateBackendProvider {

    @Override
    public String scheme() {
        return "redis";
    }

    /** @throws IllegalArgumentException for a URI that is not a Redis address, saying what is wrong */
    @Override
    public StateBackend open(URI uri, StateOptions options) {
        return new RedisBackend(RedisAddress.parse(uri), options);
    }
}
