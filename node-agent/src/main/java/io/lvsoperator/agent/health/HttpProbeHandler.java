package io.lvsoperator.agent.health;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/** Sends the GET and judges the response: status, completeness, body substring. */
final class HttpProbeHandler extends ChannelInboundHandlerAdapter {

  private final CompletableFuture<ProbeResult> result;
  private final String path;
  private final String host;
  private final StatusCodeMatcher expected;
  private final String bodyContains;
  private final byte[] needle;
  private final long timeoutMs;
  private ByteArrayOutputStream body;
  private boolean gotHeaders;

  HttpProbeHandler(
      CompletableFuture<ProbeResult> result,
      String path,
      String host,
      StatusCodeMatcher expected,
      String bodyContains,
      long timeoutMs) {
    this.result = result;
    this.path = path;
    this.host = host;
    this.expected = expected;
    this.bodyContains = bodyContains == null || bodyContains.isEmpty() ? null : bodyContains;
    this.needle =
        this.bodyContains == null ? null : this.bodyContains.getBytes(StandardCharsets.UTF_8);
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    var request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER);
    request
        .headers()
        .set(HttpHeaderNames.HOST, host)
        .set(HttpHeaderNames.USER_AGENT, "lvs-operator-health-check")
        .set(HttpHeaderNames.ACCEPT, "*/*")
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(request)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    fail(ProbeFailures.reason(f.cause(), timeoutMs));
                  }
                });
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (result.isDone()) {
        return;
      }
      if (msg instanceof HttpResponse response) {
        if (response.decoderResult().isFailure()) {
          fail(decoderReason(response.decoderResult().cause()));
          return;
        }
        gotHeaders = true;
        int status = response.status().code();
        if (!expected.matches(status)) {
          fail("HTTP status " + status);
          return;
        }
        if (needle != null) {
          body = new ByteArrayOutputStream();
        }
      }
      if (msg instanceof HttpContent content) {
        if (content.decoderResult().isFailure()) {
          fail("bad HTTP response: " + content.decoderResult().cause().getMessage());
          return;
        }
        if (body != null) {
          ByteBuf buf = content.content();
          int n = Math.min(buf.readableBytes(), NettyProber.MAX_BODY_BYTES - body.size());
          if (n > 0) {
            byte[] chunk = new byte[n];
            buf.getBytes(buf.readerIndex(), chunk);
            body.writeBytes(chunk);
          }
        }
        if (msg instanceof LastHttpContent) {
          if (body != null && !contains(body.toByteArray(), needle)) {
            fail("body does not contain \"" + bodyContains + "\"");
          } else {
            result.complete(ProbeResult.ok());
          }
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
      fail(ProbeFailures.reason(handshake.cause(), timeoutMs));
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(
        gotHeaders
            ? "connection closed before the response was complete"
            : "connection closed without a response");
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ProbeFailures.reason(cause, timeoutMs));
    ctx.close();
  }

  private void fail(String reason) {
    result.complete(ProbeResult.failed(reason));
  }

  private static String decoderReason(Throwable cause) {
    if (cause instanceof PrematureChannelClosureException) {
      return "connection closed without a response";
    }
    return "not HTTP: " + cause.getMessage();
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return needle.length == 0 || Arrays.equals(haystack, needle);
  }
}
