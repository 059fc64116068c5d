package dev.herd.state.local;

/**
 * What a worker asks of the master's store, one per frame on the state socket. {@code id} is the
 * worker's, echoed in the reply; {@code ttl} is milliseconds to live, 0 for none.
 */
sealed interface Command {

    int id();

    record Get(int id, String key) implements Command {
    }

    record Put(int id, String key, byte[] value, long ttl) implements Command {
    }

    record PutIfAbsent(int id, String key, byte[] value, long ttl) implements Command {
    }

    /** {@code expected} null: only if absent; {@code update} null: delete. */
    record CompareAndSet(int id, String key, byte[] expected, byte[] update, long ttl) implements Command {
    }

    record Increment(int id, String key, long delta) implements Command {
    }

    record Delete(int id, String key) implements Command {
    }

    record Expire(int id, String key, long ttl) implements Command {
    }

    record Keys(int id, String prefix) implements Command {
    }

    record Publish(int id, String channel, byte[] payload) implements Command {
    }

    record Subscribe(int id, String channel) implements Command {
    }

    record Unsubscribe(int id, String channel) implements Command {
    }
}
