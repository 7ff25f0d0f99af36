package io.lvsoperator.agent.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes real servers with Netty: TCP connect, HTTP/1.1 GET, and HTTP GET over TLS. Every probe of
 * every check runs on one event loop group (epoll where available, NIO otherwise).
 *
 * <ul>
 *   <li>One deadline, the check's timeout, bounds the whole probe: connect, TLS handshake, request
 *       and the complete response. A slow response fails with "timeout after Nms".
 *   <li>HTTP: {@code GET <path> HTTP/1.1} with {@code Host} (the check's host, else the server's
 *       address and port) and {@code Connection: close}. Healthy when the status matches the
 *       expected codes (200-299 by default), the response arrives complete and the body, when
 *       {@code bodyContains} is set, contains it (the first 1 MiB is searched).
 *   <li>HTTPS: TLS with SNI from the check's host. Like keepalived, the certificate is not verified
 *       unless a CA bundle is given; with one, the chain must lead to one of its certificates (the
 *       host name is not matched: real servers are often checked by address).
 * </ul>
 */
public final class NettyProber implements Prober, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NettyProber.class);

  /** How much of a body is searched for {@code bodyContains}. */
  static final int MAX_BODY_BYTES = 1 << 20;

  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelType;
  // Built on the first HTTPS check: building it parses the JDK's trust store, a large part of the
  // agent's start when class loading is slow (docs/lab.md), and most agents never need it.
  private volatile SslContext unverifiedTls;
  private final ConcurrentMap<String, SslContext> verifyingTls = new ConcurrentHashMap<>();
  private final ConcurrentMap<HealthCheck, StatusCodeMatcher> matchers = new ConcurrentHashMap<>();

  private NettyProber(EventLoopGroup group, Class<? extends SocketChannel> channelType) {
    this.group = group;
    this.channelType = channelType;
  }

  /** A prober with its own event loop group of one thread per two cores (at least one). */
  public static NettyProber create() {
    return create(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
  }

  public static NettyProber create(int threads) {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            threads, new DefaultThreadFactory("health-check", true), io);
    log.info(
        "event=health_prober_started transport={} threads={}", epoll ? "epoll" : "nio", threads);
    return new NettyProber(group, epoll ? EpollSocketChannel.class : NioSocketChannel.class);
  }

  /** The group probes run on; timers of the monitor may share it. */
  public EventLoopGroup eventLoopGroup() {
    return group;
  }

  @Override
  public CompletableFuture<ProbeResult> probe(HealthCheckKey key) {
    HealthCheck check = key.check();
    long timeoutMs = CheckTiming.of(check).timeoutMs();
    InetSocketAddress remote;
    try {
      remote = new InetSocketAddress(InetAddress.ofLiteral(key.address()), key.port());
    } catch (IllegalArgumentException e) {
      return done(ProbeResult.failed("not an IP address: " + key.address()));
    }
    boolean http = check.type() == CheckType.HTTP_GET;
    boolean https = check.type() == CheckType.HTTPS_GET;
    SslContext tls = null;
    if (https) {
      try {
        tls = tlsContext(check.caBundle());
      } catch (SSLException | RuntimeException e) {
        return done(ProbeResult.failed("bad caBundle: " + e.getMessage()));
      }
    }
    StatusCodeMatcher matcher;
    try {
      matcher =
          (http || https)
              ? matchers.computeIfAbsent(check, c -> StatusCodeMatcher.parse(c.expectedStatus()))
              : null;
    } catch (IllegalArgumentException e) {
      return done(ProbeResult.failed(e.getMessage()));
    }

    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    SslContext tlsContext = tls;
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeoutMs, 1 << 30))
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (!(http || https)) {
                      return;
                    }
                    if (tlsContext != null) {
                      String sni = check.host() != null ? check.host() : key.address();
                      ch.pipeline().addLast(tlsContext.newHandler(ch.alloc(), sni, key.port()));
                    }
                    ch.pipeline()
                        .addLast(new HttpPrefixGuard(result))
                        .addLast(new HttpClientCodec(4096, 16 * 1024, 16 * 1024))
                        .addLast(
                            new HttpProbeHandler(
                                result,
                                check.path() == null ? "/" : check.path(),
                                hostHeader(key, https),
                                matcher,
                                check.bodyContains(),
                                timeoutMs));
                  }
                });
    ChannelFuture connect;
    try {
      connect = bootstrap.connect(remote);
    } catch (RejectedExecutionException e) {
      return done(ProbeResult.failed("health checker is shutting down"));
    }
    Channel channel = connect.channel();
    io.netty.util.concurrent.Future<?> deadline;
    try {
      deadline =
          channel
              .eventLoop()
              .schedule(
                  () -> {
                    result.complete(ProbeResult.failed(ProbeFailures.timeout(timeoutMs)));
                  },
                  timeoutMs,
                  TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException | IllegalStateException e) {
      // Registration failed: the group is shutting down, or no socket could be opened.
      channel.close();
      String why = connect.cause() != null ? connect.cause().toString() : e.toString();
      return done(ProbeResult.failed("cannot start probe: " + why));
    }
    result.whenComplete(
        (r, e) -> {
          deadline.cancel(false);
          channel.close();
        });
    connect.addListener(
        (ChannelFutureListener)
            f -> {
              if (!f.isSuccess()) {
                result.complete(ProbeResult.failed(ProbeFailures.reason(f.cause(), timeoutMs)));
              } else if (!(http || https)) {
                result.complete(ProbeResult.ok());
              }
            });
    return result;
  }

  private static CompletableFuture<ProbeResult> done(ProbeResult result) {
    return CompletableFuture.completedFuture(result);
  }

  /** keepalived's Host: the virtualhost when set, else address:port. */
  static String hostHeader(HealthCheckKey key, boolean https) {
    if (key.check().host() != null && !key.check().host().isBlank()) {
      return key.check().host();
    }
    String address = key.address().indexOf(':') >= 0 ? "[" + key.address() + "]" : key.address();
    int defaultPort = https ? 443 : 80;
    return key.port() == defaultPort ? address : address + ":" + key.port();
  }

  private SslContext tlsContext(String caBundle) throws SSLException {
    if (caBundle == null || caBundle.isBlank()) {
      SslContext unverified = unverifiedTls;
      if (unverified == null) {
        synchronized (this) {
          unverified = unverifiedTls;
          if (unverified == null) {
            unverified = tlsBuilder().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            unverifiedTls = unverified;
          }
        }
      }
      return unverified;
    }
    SslContext cached = verifyingTls.get(caBundle);
    if (cached != null) {
      return cached;
    }
    SslContext built =
        tlsBuilder()
            .trustManager(new ByteArrayInputStream(caBundle.getBytes(StandardCharsets.US_ASCII)))
            .build();
    SslContext raced = verifyingTls.putIfAbsent(caBundle, built);
    return raced != null ? raced : built;
  }

  private static SslContextBuilder tlsBuilder() {
    // Chain verification only (when a CA is given): real servers are checked by address, and
    // their certificates name the service.
    return SslContextBuilder.forClient()
        .sslProvider(SslProvider.JDK)
        .endpointIdentificationAlgorithm(null);
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
