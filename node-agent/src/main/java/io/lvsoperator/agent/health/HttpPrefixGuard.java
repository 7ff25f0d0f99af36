package io.lvsoperator.agent.health;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Fails the probe at once when the first bytes of the answer are not "HTTP/", quoting them: a
 * clearer reason than the HTTP decoder's, and no waiting for a line end that never comes.
 */
final class HttpPrefixGuard extends ChannelInboundHandlerAdapter {

  private static final byte[] PREFIX = "HTTP/".getBytes(StandardCharsets.US_ASCII);
  private static final int QUOTED = 40;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final CompletableFuture<ProbeResult> result;
  private int matched;

  HttpPrefixGuard(CompletableFuture<ProbeResult> result) {
    this.result = result;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      int n = Math.min(buf.readableBytes(), PREFIX.length - matched);
      for (int i = 0; i < n; i++) {
        if (buf.getByte(buf.readerIndex() + i) != PREFIX[matched + i]) {
          result.complete(ProbeResult.failed("not HTTP: " + quote(buf)));
          buf.release();
          ctx.close();
          return;
        }
      }
      matched += n;
      if (matched == PREFIX.length) {
        ctx.pipeline().remove(this);
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** The first bytes, printable ASCII kept and the rest as \xNN. */
  static String quote(ByteBuf buf) {
    StringBuilder sb = new StringBuilder("\"");
    int n = Math.min(buf.readableBytes(), QUOTED);
    for (int i = 0; i < n; i++) {
      int b = buf.getByte(buf.readerIndex() + i) & 0xff;
      if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
        sb.append((char) b);
      } else {
        sb.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
    }
    sb.append('"');
    if (buf.readableBytes() > QUOTED) {
      sb.append("...");
    }
    return sb.toString();
  }
}
