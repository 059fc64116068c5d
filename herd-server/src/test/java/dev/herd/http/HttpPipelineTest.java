package dev.herd.http;

import dev.herd.api.Response;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production pipeline with non-default limits: what reaches the app, what is refused and
 * how (status, Connection: close, nothing more read), HEAD, 100-continue, pipelining, and the
 * forwarding headers.
 */
class HttpPipelineTest {

    private static TestConnection connection(int maxBody, int maxFields, int maxFieldSize, int maxLine) {
        return new TestConnection(Config.defaults().with(Settings.LIMIT_REQUEST_BODY, maxBody)
                .with(Settings.LIMIT_REQUEST_FIELDS, maxFields).with(Settings.LIMIT_REQUEST_FIELD_SIZE, maxFieldSize)
                .with(Settings.LIMIT_REQUEST_LINE, maxLine));
    }

    private static TestConnection defaults() {
        return new TestConnection(Config.defaults());
    }

    @Test
    void anAppHeaderThatWouldSplitTheResponseGets500AndNoneOfIt() {
        TestConnection c = defaults().holdResponses();
        c.send("GET /a HTTP/1.1\nHost: x\n\n");
        c.sinks.getFirst().complete(Response.status(200).header("x-note", "a\r\nSet-Cookie: session=stolen")
                .body("hidden").build());
        String out = c.output();
        assertThat(out).startsWith("HTTP/1.1 500 ").doesNotContain("stolen").doesNotContain("hidden");
        assertThat(c.isOpen()).isTrue();
        c.send("GET /b HTTP/1.1\nHost: x\n\n");
        c.sinks.get(1).complete(Response.status(200).header("bad name", "v").body("hidden").build());
        assertThat(c.output()).startsWith("HTTP/1.1 500 ").doesNotContain("hidden");
        c.send("GET /c HTTP/1.1\nHost: x\n\n");
        c.sinks.get(2).complete(Response.status(200).header("X-Custom", "fine").header("Content-Type", "text/plain")
                .body("shown").build());
        assertThat(c.output()).startsWith("HTTP/1.1 200 ").contains("x-custom: fine\r\n")
                .containsIgnoringCase("content-type: text/plain\r\n").endsWith("shown");
    }

    @Test
    void aStreamedBodyEndedWithoutFlushingItsOutputStreamStillSendsItsLastBytes() throws Exception {
        TestConnection c = defaults().holdResponses();
        c.send("GET /a HTTP/1.1\nHost: x\n\n");
        dev.herd.api.BodyOutput out = c.sinks.getFirst().stream(Response.status(200)
                .header("content-length", "5").build());
        java.io.OutputStream stream = out.outputStream();
        stream.write("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // buffered, never flushed
        out.end(); // what herd does when a BodyWriter returns
        String answer = c.output();
        assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nhello");
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void bodyAtTheLimitIsReadAndOneByteMoreIs413() {
        TestConnection ok = connection(5, 100, 8190, 4094);
        ok.send("POST /a HTTP/1.1\nHost: x\nContent-Length: 5\n\nhello");
        assertThat(ok.output()).startsWith("HTTP/1.1 200 ");
        assertThat(ok.requests.getFirst().bodyText()).isEqualTo("hello");

        TestConnection tooBig = connection(5, 100, 8190, 4094);
        tooBig.send("POST /a HTTP/1.1\nHost: x\nContent-Length: 6\n\nhello!");
        assertThat(tooBig.output()).startsWith("HTTP/1.1 413 ").containsIgnoringCase("connection: close");
        assertThat(tooBig.isOpen()).isFalse();
        assertThat(tooBig.requests).isEmpty();
    }

    @Test
    void chunkedBodyOverTheLimitIs413WithoutReadingTheRest() {
        TestConnection c = connection(8, 100, 8190, 4094);
        c.send("POST /a HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n5\nhello\n5\nworld\n");
        assertThat(c.output()).startsWith("HTTP/1.1 413 ").containsIgnoringCase("connection: close");
        assertThat(c.isOpen()).isFalse();
        assertThat(c.requests).isEmpty();
    }

    @Test
    void keepAliveRequestOver413StillClosesTheConnection() {
        // Netty's own aggregator would answer 413 and keep a keep-alive connection open.
        TestConnection c = connection(5, 100, 8190, 4094);
        c.send("POST /a HTTP/1.1\nHost: x\nConnection: keep-alive\nContent-Length: 100\n\n");
        assertThat(c.output()).startsWith("HTTP/1.1 413 ");
        assertThat(c.isOpen()).isFalse();
    }

    /** A client that pipelines and does not read its answers is read only so far ahead. */
    @Test
    void pipelinedRequestsAreReadAtMostSixteenAheadAndAllAnsweredInOrder() {
        TestConnection c = connection(5, 100, 8190, 4094).holdResponses();
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            burst.append("GET /r").append(i).append(" HTTP/1.1\nHost: x\n\n");
        }
        c.send(burst.toString());
        c.channel.runPendingTasks();
        HttpRequestChannelHandler handler = c.channel.pipeline().get(HttpRequestChannelHandler.class);
        assertThat(c.requests).hasSize(1);
        assertThat(handler.pendingRequests()).isEqualTo(PipelinedRequests.MAX);
        assertThat(c.channel.config().isAutoRead()).isFalse();
        StringBuilder answers = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            assertThat(c.requests).hasSize(i + 1);
            assertThat(handler.pendingRequests()).isLessThanOrEqualTo(PipelinedRequests.MAX);
            c.sinks.get(i).complete(Response.text("answer " + i));
            answers.append(c.output());
        }
        for (int i = 0; i < 40; i++) {
            assertThat(answers.indexOf("answer " + i)).isGreaterThan(i == 0 ? -1 : answers.indexOf("answer " + (i - 1)));
        }
        assertThat(c.channel.config().isAutoRead()).isTrue();
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void expectContinueIsInvitedWhenTheAppStartsToReadThenServed() {
        TestConnection c = connection(5, 100, 8190, 4094).holdResponses();
        c.send("POST /a HTTP/1.1\nHost: x\nContent-Length: 5\nExpect: 100-continue\n\n");
        assertThat(c.output()).isEmpty();
        var body = c.requests.getFirst().readBody().toCompletableFuture();
        assertThat(c.output()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        c.send("hello");
        c.channel.runPendingTasks();
        assertThat(body).isCompletedWithValueMatching(bytes -> new String(bytes).equals("hello"));
        c.sinks.getFirst().complete(Response.text("read"));
        assertThat(c.output()).startsWith("HTTP/1.1 200 ").endsWith("read");
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void expectContinueAnsweredWithoutReadingIsNeverInvitedAndTheConnectionCloses() {
        TestConnection c = connection(5, 100, 8190, 4094);
        c.send("POST /a HTTP/1.1\nHost: x\nContent-Length: 5\nExpect: 100-continue\n\n");
        String out = c.output();
        assertThat(out).startsWith("HTTP/1.1 200 ").doesNotContain("100 Continue")
                .containsIgnoringCase("connection: close");
    }

    @Test
    void expectContinueOverTheLimitIsRefusedWithoutAnInvitation() {
        TestConnection c = connection(5, 100, 8190, 4094);
        c.send("POST /a HTTP/1.1\nHost: x\nContent-Length: 6\nExpect: 100-continue\n\n");
        String out = c.output();
        assertThat(out).startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue")
                .containsIgnoringCase("connection: close");
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void headerFieldLimitsCountFieldsAndMeasureNamePlusValue() {
        TestConnection fields = connection(100, 3, 100, 4094);
        fields.send("GET / HTTP/1.1\nHost: x\nA: 1\nB: 2\n\n");
        assertThat(fields.output()).startsWith("HTTP/1.1 200 ");
        fields.send("GET / HTTP/1.1\nHost: x\nA: 1\nB: 2\nC: 3\n\n");
        assertThat(fields.output()).startsWith("HTTP/1.1 431 ");
        assertThat(fields.isOpen()).isFalse();

        TestConnection size = connection(100, 100, 10, 4094);
        size.send("GET / HTTP/1.1\nHost: x\nabcde: 12345\n\n");
        assertThat(size.output()).startsWith("HTTP/1.1 200 ");
        size.send("GET / HTTP/1.1\nHost: x\nabcde: 123456\n\n");
        assertThat(size.output()).startsWith("HTTP/1.1 431 ");
        assertThat(size.requests).hasSize(1);
    }

    @Test
    void requestLineLimit() {
        TestConnection c = connection(100, 100, 8190, 20);
        c.send("GET /1234 HTTP/1.1\nHost: x\n\n");
        assertThat(c.output()).startsWith("HTTP/1.1 200 ");
        c.send("GET /123456789012 HTTP/1.1\nHost: x\n\n");
        assertThat(c.output()).startsWith("HTTP/1.1 414 ");
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void headResponseHasTheLengthOfTheBodyButNoBody() {
        TestConnection c = defaults();
        c.send("HEAD /hello HTTP/1.1\nHost: x\n\nGET /hello HTTP/1.1\nHost: x\n\n");
        String out = c.output();
        String head = out.substring(0, out.indexOf("HTTP/1.1", 1));
        assertThat(head).startsWith("HTTP/1.1 200 ").containsIgnoringCase("content-length: 11\r\n")
                .endsWith("\r\n\r\n");
        assertThat(out.substring(head.length())).startsWith("HTTP/1.1 200 ").endsWith("GET /hello");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderWhateverOrderTheAppFinishes() {
        TestConnection c = defaults().holdResponses();
        c.send("GET /first HTTP/1.1\nHost: x\n\nGET /second HTTP/1.1\nHost: x\n\n");
        assertThat(c.requests).hasSize(1);
        c.sinks.getFirst().complete(Response.text("one"));
        assertThat(c.requests).hasSize(2);
        c.sinks.get(1).complete(Response.text("two"));
        String out = c.output();
        assertThat(out.indexOf("one")).isLessThan(out.indexOf("two")).isPositive();
    }

    @Test
    void refusalWaitsForTheResponseOwedToAnEarlierRequest() {
        TestConnection c = defaults().holdResponses();
        c.send("GET /first HTTP/1.1\nHost: x\n\nGARBAGE\n\n");
        assertThat(c.output()).isEmpty();
        c.sinks.getFirst().complete(Response.text("one"));
        String out = c.output();
        assertThat(out).startsWith("HTTP/1.1 200 ").contains("oneHTTP/1.1 400 ")
                .satisfies(o -> assertThat(List.of(o.split("HTTP/1.1 "))).hasSize(3));
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void forwardingHeadersAreIgnoredFromAnUntrustedPeer() {
        TestConnection c = defaults();
        c.send("GET / HTTP/1.1\nHost: x\nX-Forwarded-For: 203.0.113.9\nX-Forwarded-Proto: https\n\n");
        assertThat(c.requests.getFirst().remoteAddress()).isNull();
        assertThat(c.requests.getFirst().scheme()).isEqualTo("http");
    }

    @Test
    void forwardingHeadersSetClientAndSchemeFromATrustedPeer() {
        TestConnection c = new TestConnection(Config.defaults().with(Settings.FORWARDED_ALLOW_IPS, List.of("*")));
        c.send("GET / HTTP/1.1\nHost: x\nForwarded: for=\"[2001:db8::7]:4711\";proto=https\n\n");
        assertThat(c.requests.getFirst().remoteAddress().getAddress().getHostAddress())
                .isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(c.requests.getFirst().remoteAddress().getPort()).isEqualTo(4711);
        assertThat(c.requests.getFirst().scheme()).isEqualTo("https");
    }
}
