package dev.herd.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Compare-and-set as one Lua script, which Redis runs atomically: no other client's command runs
 * between the read and the write. Sent by its SHA-1 (EVALSHA); the whole script (EVAL) only when
 * Redis does not have it cached yet, after its start or a SCRIPT FLUSH.
 */
final class CompareAndSetScript {

    /*
     * KEYS[1]: the key. ARGV[1]: "1" when an expected value is given, ARGV[2]: it. ARGV[3]: "1"
     * when an update is given (else the key is deleted), ARGV[4]: it. ARGV[5]: the time to live
     * in milliseconds, "0" for none. Values are compared as bytes (Lua strings are binary).
     */
    static final String SOURCE = """
            local current = redis.call('GET', KEYS[1])
            if ARGV[1] == '1' then
              if current ~= ARGV[2] then return 0 end
            elseif current then
              return 0
            end
            if ARGV[3] == '1' then
              if ARGV[5] == '0' then
                redis.call('SET', KEYS[1], ARGV[4])
              else
                redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
              end
            else
              redis.call('DEL', KEYS[1])
            end
            return 1
            """;

    static final String SHA1 = sha1(SOURCE);

    private static final byte[] GIVEN = {'1'};
    private static final byte[] ABSENT = {'0'};
    private static final byte[] NONE = {};

    private CompareAndSetScript() {
    }

    /**
     * True when it set (or deleted). A NOSCRIPT answer costs one more round trip, and a call made
     * after this one may then reach Redis first; that happens once per script cache flush.
     */
    static CompletionStage<Boolean> run(RedisAsyncCommands<byte[], byte[]> redis, byte[] key, byte[] expected,
                                        byte[] update, long ttlMillis) {
        byte[][] keys = {key};
        byte[][] args = {
                expected != null ? GIVEN : ABSENT, expected != null ? expected : NONE,
                update != null ? GIVEN : ABSENT, update != null ? update : NONE,
                Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII)};
        CompletionStage<Long> sent = redis.evalsha(SHA1, ScriptOutputType.INTEGER, keys, args);
        return sent.exceptionallyCompose(failure -> isNoScript(failure)
                        ? redis.<Long>eval(SOURCE, ScriptOutputType.INTEGER, keys, args)
                        : CompletableFuture.<Long>failedFuture(failure))
                .thenApply(done -> done == 1L);
    }

    private static boolean isNoScript(Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return e instanceof RedisNoScriptException;
    }

    private static String sha1(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
