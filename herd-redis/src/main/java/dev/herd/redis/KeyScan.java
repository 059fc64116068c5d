package dev.herd.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The keys under a prefix, with SCAN page after page: unlike KEYS, each page is a short command,
 * so Redis keeps serving other clients while a large keyspace is listed.
 */
final class KeyScan {

    /** Keys Redis looks at per page: a page costs it about as much as a GET of a large value. */
    static final long PAGE = 1000;

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final ScanArgs args;
    /** SCAN may return a key twice (when the table is resized between pages). */
    private final Set<String> keys = new LinkedHashSet<>();
    private final CompletableFuture<List<String>> result = new CompletableFuture<>();

    private KeyScan(RedisAsyncCommands<byte[], byte[]> redis, byte[] prefix) {
        this.redis = redis;
        this.args = ScanArgs.Builder.matches(pattern(prefix)).limit(PAGE);
    }

    static CompletionStage<List<String>> keys(RedisAsyncCommands<byte[], byte[]> redis, byte[] prefix) {
        KeyScan scan = new KeyScan(redis, prefix);
        scan.page(ScanCursor.INITIAL);
        return scan.result;
    }

    /** Each page asks for the next from the I/O thread that read it: no thread waits, no stack grows. */
    private void page(ScanCursor cursor) {
        CompletionStage<KeyScanCursor<byte[]>> page;
        try {
            page = redis.scan(cursor, args);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        page.whenComplete((found, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
                return;
            }
            for (byte[] key : found.getKeys()) {
                keys.add(new String(key, StandardCharsets.UTF_8));
            }
            if (found.isFinished()) {
                result.complete(new ArrayList<>(keys));
            } else {
                page(found);
            }
        });
    }

    /** A MATCH pattern for the keys that start with {@code prefix}: its glob characters escaped, then {@code *}. */
    static byte[] pattern(byte[] prefix) {
        ByteArrayOutputStream pattern = new ByteArrayOutputStream(prefix.length + 8);
        for (byte b : prefix) {
            // UTF-8 bytes of non-ASCII characters are all >= 0x80, so none is taken for one of these.
            if (b == '*' || b == '?' || b == '[' || b == ']' || b == '\\') {
                pattern.write('\\');
            }
            pattern.write(b);
        }
        pattern.write('*');
        return pattern.toByteArray();
    }
}
