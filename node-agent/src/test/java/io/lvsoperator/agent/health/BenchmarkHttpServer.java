package io.lvsoperator.agent.health;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark's real servers: one process listening on 127.0.0.1 ports [first, first + count),
 * answering every connection with a fixed "200 ok" and closing. Not a test; started by {@link
 * HealthCheckBenchmark} in its own JVM so the checker's CPU and memory are measured alone.
 */
public final class BenchmarkHttpServer {

  private static final byte[] RESPONSE =
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
          .getBytes(StandardCharsets.US_ASCII);

  @ChannelHandler.Sharable
  static final class Answer extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
      if (ctx.channel().attr(SENT).setIfAbsent(Boolean.TRUE) == null) {
        ByteBuf out = Unpooled.wrappedBuffer(RESPONSE);
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  static final io.netty.util.AttributeKey<Boolean> SENT =
      io.netty.util.AttributeKey.valueOf("sent");

  public static void main(String[] args) throws Exception {
    int first = Integer.parseInt(args[0]);
    int count = Integer.parseInt(args[1]);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    Answer answer = new Answer();
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(EpollServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(answer);
                  }
                });
    for (int port = first; port < first + count; port++) {
      bootstrap.bind("127.0.0.1", port).sync();
    }
    System.out.println("ready " + count);
    System.out.flush();
    // Until the parent closes our stdin.
    while (System.in.read() >= 0) {}
    group.shutdownGracefully().sync();
  }
}
