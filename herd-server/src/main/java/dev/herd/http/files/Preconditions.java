package dev.herd.http.files;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The conditional request header fields of RFC 9110 section 13, evaluated against a file in the order section
 * 13.2.2 prescribes, then {@code if-range} (section 13.1.5), which decides whether a {@code range} is honoured.
 *
 * <ol>
 *   <li>{@code if-match} present: false (no tag matches by strong comparison, and not {@code *}) is 412.</li>
 *   <li>otherwise {@code if-unmodified-since} with a valid date: modified after it is 412.</li>
 *   <li>{@code if-none-match} present: false (a tag matches by weak comparison, or {@code *}) is 304 for
 *       GET and HEAD, 412 for other methods.</li>
 *   <li>otherwise, for GET and HEAD only, {@code if-modified-since} with a valid date: not modified since is
 *       304.</li>
 *   <li>GET with {@code range}: without {@code if-range}, or when it holds, the range applies; otherwise the
 *       range is ignored and the whole file is sent.</li>
 * </ol>
 *
 * <p>An entity tag wins over a date at each step because it is the finer validator: dates have one-second
 * resolution. Dates that are not valid HTTP-dates are ignored, as the RFC requires of both date fields. Only the
 * first value of each field is consulted (the header lookup returns one), which for the list fields means that a
 * request splitting its tags over several field lines is judged by the first line.
 */
public final class Preconditions {

    /** The verdict of the preconditions on a request. */
    public sealed interface Outcome permits Proceed, NotModified, PreconditionFailed {
    }

    /**
     * All conditions hold: perform the request. {@code rangeApplies} is true when the request is a GET with a
     * {@code range} field that {@code if-range} (if any) does not veto; whether the range itself is usable is
     * {@link RangeHeader}'s question.
     */
    public record Proceed(boolean rangeApplies) implements Outcome {
    }

    /** Answer 304: the client's copy is current. */
    public record NotModified() implements Outcome {
    }

    /** Answer 412: a precondition the client set does not hold. */
    public record PreconditionFailed() implements Outcome {
    }

    public static final Outcome NOT_MODIFIED = new NotModified();
    public static final Outcome PRECONDITION_FAILED = new PreconditionFailed();

    private static final Proceed PROCEED_WHOLE = new Proceed(false);
    private static final Proceed PROCEED_RANGE = new Proceed(true);

    private Preconditions() {
    }

    /**
     * Evaluates the preconditions of a request with {@code method} (case-sensitive, as HTTP methods are) on
     * {@code file}; {@code headers} returns the first value of a lower-case header name, or null.
     */
    public static Outcome evaluate(String method, Function<String, String> headers, FileInfo file) {
        boolean getOrHead = method.equals("GET") || method.equals("HEAD");
        String ifMatch = headers.apply("if-match");
        if (ifMatch != null) {
            if (!ifMatch(ifMatch, file)) {
                return PRECONDITION_FAILED;
            }
        } else {
            Optional<Instant> since = HttpDates.parse(headers.apply("if-unmodified-since"));
            if (since.isPresent() && file.lastModified().isAfter(since.get())) {
                return PRECONDITION_FAILED;
            }
        }
        String ifNoneMatch = headers.apply("if-none-match");
        if (ifNoneMatch != null) {
            if (anyWeakMatch(ifNoneMatch, file)) {
                return getOrHead ? NOT_MODIFIED : PRECONDITION_FAILED;
            }
        } else if (getOrHead) {
            Optional<Instant> since = HttpDates.parse(headers.apply("if-modified-since"));
            if (since.isPresent() && !file.lastModified().isAfter(since.get())) {
                return NOT_MODIFIED;
            }
        }
        if (!method.equals("GET") || headers.apply("range") == null) {
            return PROCEED_WHOLE;
        }
        String ifRange = headers.apply("if-range");
        return ifRange == null || ifRange(ifRange, file) ? PROCEED_RANGE : PROCEED_WHOLE;
    }

    /** {@code if-match}: {@code *} matches the (existing) file; otherwise a tag must match by strong comparison. */
    private static boolean ifMatch(String value, FileInfo file) {
        if (EntityTags.isAny(value)) {
            return true;
        }
        return EntityTags.parseList(value).stream().anyMatch(tag -> EntityTags.strongMatch(tag, file.etag()));
    }

    /** Whether {@code if-none-match} names the file: {@code *}, or a tag matching by weak comparison. */
    private static boolean anyWeakMatch(String value, FileInfo file) {
        if (EntityTags.isAny(value)) {
            return true;
        }
        return EntityTags.parseList(value).stream().anyMatch(tag -> EntityTags.weakMatch(tag, file.etag()));
    }

    /**
     * {@code if-range}: an entity-tag must match by strong comparison (a weak one never does); an HTTP-date must
     * equal {@code last-modified} exactly. Anything else, including an unreadable value, is false: the whole
     * file is sent, which is always a correct answer.
     */
    private static boolean ifRange(String value, FileInfo file) {
        String trimmed = value.strip();
        if (trimmed.startsWith("\"") || trimmed.startsWith("W/")) {
            EntityTags.Tag tag = EntityTags.Tag.parse(trimmed);
            return tag != null && EntityTags.strongMatch(tag, file.etag());
        }
        return HttpDates.parse(trimmed).map(date -> date.equals(file.lastModified())).orElse(false);
    }
}
