package dev.herd.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Builds every connection's pipeline, the one place that decides it (the request corpus test
 * builds its pipelines here too, so it tests what production runs):
 * <pre>
 * bytes -> StrictHttpRequestDecoder -> HttpBodyRouter -> HttpRequestChannelHandler -> app
 * bytes <- HttpResponseEncoder <------------------------------ (responses)
 * </pre>
 */
final class HttpChannelInitializer extends ChannelInitializer<Channel> {

    private final HttpOptions options;
    private final RequestDispatcher dispatcher;
    private final ServerStats stats;
    private final ForwardedHeaders forwarded;
    private final AccessLog accessLog;
    private final ChannelGroup connections;

    /** @param connections every open connection joins it, for drain and shutdown */
    HttpChannelInitializer(HttpOptions options, RequestDispatcher dispatcher, ServerStats stats, AccessLog accessLog,
                           ChannelGroup connections) {
        this.options = options;
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.forwarded = new ForwardedHeaders(options.forwardedAllowIps());
        this.accessLog = accessLog;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel channel) {
        // A client's FIN ends its requests, not the answers to them (HttpRequestChannelHandler).
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        connections.add(channel);
        channel.pipeline()
                .addLast("encoder", new HttpResponseEncoder())
                .addLast("decoder", new StrictHttpRequestDecoder(options.limits()))
                .addLast("body", new HttpBodyRouter(options.limits().maxBodyBytes(),
                        options.limits().bodyBufferBytes()))
                .addLast("app", new HttpRequestChannelHandler(dispatcher, stats, options.timeouts(), forwarded,
                        accessLog, options.staticFolders(), options.webSockets()));
    }
}
