package io.lvsoperator.endpoints;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /healthz}, {@code /readyz} and {@code /metrics} on one port, built not to be stalled: one
 * event-loop thread of its own (nothing else runs on it, and nothing on it blocks), a deadline for
 * each request ({@link EndpointSettings#readTimeout}) and for each wait between requests ({@link
 * EndpointSettings#idleTimeout}), a connection cap that evicts the oldest waiting connection rather
 * than refusing the newest, GET only (405 otherwise), exact paths (404 otherwise, no prefixes), and
 * requests of at most 4 kB of line, 8 kB of headers and no body worth the name.
 *
 * <p>{@link #start} binds before it returns: a port in use is an {@link IOException} naming the
 * address, so a program can refuse to start before it changes anything.
 */
public final class EndpointServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EndpointServer.class);

  private final EventLoopGroup group;
  private final Channel server;
  private final ConnectionCap cap;

  private EndpointServer(EventLoopGroup group, Channel server, ConnectionCap cap) {
    this.group = group;
    this.server = server;
    this.cap = cap;
  }

  /**
   * Binds {@code settings.address():settings.port()} and serves {@code routes} (exact path →
   * answer). Each answer is computed on the event loop, so it must not block.
   */
  public static EndpointServer start(
      String name, EndpointSettings settings, Map<String, Supplier<Response>> routes)
      throws IOException {
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
    ConnectionCap cap = new ConnectionCap(settings.maxConnections());
    Router router = new Router(Map.copyOf(routes));
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 128)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(cap)
                        .addLast(
                            new RequestDeadline(settings.readTimeout(), settings.idleTimeout()))
                        .addLast(new HttpServerCodec(4096, 8192, 8192))
                        .addLast(new HttpObjectAggregator(1024))
                        .addLast(router);
                  }
                });
    InetSocketAddress at = new InetSocketAddress(settings.address(), settings.port());
    try {
      Channel server = b.bind(at).syncUninterruptibly().channel();
      EndpointServer s = new EndpointServer(group, server, cap);
      log.info(
          "event=http_listening name={} address={} port={}",
          name,
          settings.address().getHostAddress(),
          s.port());
      return s;
    } catch (Exception e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new IOException(
          "cannot listen on "
              + settings.address().getHostAddress()
              + ":"
              + settings.port()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Connections open now. */
  public int openConnections() {
    return cap.open();
  }

  /** Connections closed to make room for a newer one, since the start. */
  public long evictedConnections() {
    return cap.evicted();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
