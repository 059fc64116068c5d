package dev.herd.http.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;

import java.util.List;

/**
 * Turns an HTTP connection's pipeline into a WebSocket's, in one task on its event loop, and
 * sends the 101:
 * <pre>
 *   ws-encoder | http encoder (until the 101 is out) | ws-decoder | [ws-inflate] | ws-utf8 | [ws-deflate] | ws
 * </pre>
 * The frame decoder takes the HTTP decoder's place, so bytes the HTTP decoder had read past the
 * request reach it. Frames the app sends before the 101 is out pass the HTTP encoder untouched.
 */
public final class WebSocketPipeline {

    private WebSocketPipeline() {
    }

    /**
     * @param httpEncoder the HTTP response encoder's name, removed once the 101 is out
     * @param httpDecoder the HTTP request decoder's name, replaced by the frame decoder
     * @param httpOthers  the HTTP handlers after it, removed
     * @param deflate     the agreed permessage-deflate, or null
     */
    public static void install(ChannelHandlerContext httpCtx, String httpEncoder, String httpDecoder,
                               List<String> httpOthers, FullHttpResponse handshake, WebSocketServerExtension deflate,
                               WebSocketConnection connection, int maxMessage) {
        ChannelPipeline pipeline = httpCtx.pipeline();
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxMessage)
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(deflate != null)
                .closeOnProtocolViolation(false) // WebSocketConnection answers with the close frame
                .build();
        pipeline.addBefore(httpEncoder, "ws-encoder", new WebSocket13FrameEncoder(false));
        pipeline.replace(httpDecoder, "ws-decoder", new WebSocket13FrameDecoder(config));
        for (String name : httpOthers) {
            pipeline.remove(name);
        }
        if (deflate != null) {
            pipeline.addLast("ws-inflate", deflate.newExtensionDecoder());
        }
        pipeline.addLast("ws-utf8", new Utf8FrameValidator(false));
        if (deflate != null) {
            pipeline.addLast("ws-deflate", deflate.newExtensionEncoder());
        }
        pipeline.addLast("ws", connection);
        pipeline.context(connection).writeAndFlush(handshake).addListener(written -> {
            if (!written.isSuccess()) {
                pipeline.channel().close();
                return;
            }
            if (pipeline.get(httpEncoder) != null) {
                pipeline.remove(httpEncoder);
            }
            connection.opened();
        });
    }
}
