package dev.herd.http.files;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The complete HTTP/1.1 answer to a request for a file, decided from the method, the request's header fields and
 * the file's description, without touching the file's bytes: the caller writes the status line and
 * {@link #headers()}, then, when {@link #sendsBody()}, the {@link #body()} range of the file (with
 * {@code sendfile}).
 *
 * <ul>
 *   <li>405 for methods other than GET and HEAD, with {@code allow: GET, HEAD}. It comes before the
 *       preconditions: RFC 9110 section 13.2.1 has them ignored when the answer would not be 2xx or 412.</li>
 *   <li>412 or 304 when the preconditions say so ({@link Preconditions}). A 304 carries only {@code etag} and
 *       {@code last-modified}: section 15.4.5 asks for the fields a 200 would have sent that help a cache
 *       update its entry, and lets the others go.</li>
 *   <li>206 with {@code content-range} for one satisfiable range of a GET, 416 with
 *       {@code content-range: bytes *}{@code /SIZE} for an unsatisfiable one, and 200 with the whole file
 *       otherwise ({@link RangeHeader}; HEAD never gets a range, as section 14.2 defines ranges for GET only).
 *       Preconditions come first, so a conditional request for an unsatisfiable range of an unchanged file is
 *       answered 304, which is what the client's cache can use.</li>
 * </ul>
 *
 * <p>The error answers (405, 412, 416) have an empty body with {@code content-length: 0}: a text body would have
 * to be written from memory where everything else comes from the file, a browser rarely shows these statuses,
 * and the status line says it all. HEAD gets the header fields of the corresponding GET (same
 * {@code content-length}) and no body; 304 has neither body nor {@code content-length}.
 *
 * @param status    the status code: 200, 206, 304, 405, 412 or 416
 * @param headers   the header fields to send, in order, names in lower case
 * @param body      the bytes of the file to send; {@link ByteRange#EMPTY} when none
 * @param sendsBody whether the answer has a body at all (true for GET's 200 and 206 only, even when the file
 *                  is empty); when false, {@code body} is empty
 */
public record FileAnswer(int status, List<Header> headers, ByteRange body, boolean sendsBody) {

    /** One header field to send; the name is lower case. */
    public record Header(String name, String value) {

        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public FileAnswer {
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /**
     * The answer to a request with {@code method} (case-sensitive) for {@code file}; {@code headers} returns the
     * first value of a lower-case request header name, or null.
     */
    public static FileAnswer decide(String method, Function<String, String> headers, FileInfo file) {
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            return bodiless(405, List.of(new Header("allow", "GET, HEAD"), new Header("content-length", "0")));
        }
        Preconditions.Outcome outcome = Preconditions.evaluate(method, headers, file);
        if (outcome instanceof Preconditions.NotModified) {
            return bodiless(304, List.of(new Header("etag", file.etag()),
                    new Header("last-modified", HttpDates.format(file.lastModified()))));
        }
        if (outcome instanceof Preconditions.PreconditionFailed) {
            return bodiless(412, List.of(new Header("content-length", "0")));
        }
        boolean rangeApplies = outcome instanceof Preconditions.Proceed proceed && proceed.rangeApplies();
        RangeHeader.Result range = rangeApplies ? RangeHeader.parse(headers.apply("range"), file.size())
                : RangeHeader.NONE;
        return switch (range) {
            case RangeHeader.Unsatisfiable unsatisfiable -> bodiless(416, List.of(
                    new Header("content-range", ByteRange.unsatisfiedContentRange(file.size())),
                    new Header("accept-ranges", "bytes"),
                    new Header("content-length", "0")));
            case RangeHeader.Satisfiable satisfiable -> content(206, file, satisfiable.range(), head);
            case RangeHeader.Ignored ignored -> content(200, file, ByteRange.whole(file.size()), head);
        };
    }

    /** The first value of the header field {@code name} (lower case) in this answer, or null. */
    public String header(String name) {
        for (Header header : headers) {
            if (header.name().equals(name)) {
                return header.value();
            }
        }
        return null;
    }

    private static FileAnswer bodiless(int status, List<Header> headers) {
        return new FileAnswer(status, headers, ByteRange.EMPTY, false);
    }

    /** 200 or 206 with {@code range} of the file; for HEAD, the same header fields and no body. */
    private static FileAnswer content(int status, FileInfo file, ByteRange range, boolean head) {
        List<Header> headers = new ArrayList<>(6);
        headers.add(new Header("content-type", file.contentType()));
        headers.add(new Header("content-length", Long.toString(range.length())));
        if (status == 206) {
            headers.add(new Header("content-range", range.contentRange(file.size())));
        }
        headers.add(new Header("last-modified", HttpDates.format(file.lastModified())));
        headers.add(new Header("etag", file.etag()));
        headers.add(new Header("accept-ranges", "bytes"));
        return head ? new FileAnswer(status, headers, ByteRange.EMPTY, false)
                : new FileAnswer(status, headers, range, true);
    }
}
