package io.lvsoperator.agent.health;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A Netty prober made on the first probe or timer: an agent whose spec has no check (a lone VIP, a
 * DR real server) never starts Netty (its event loop thread, native transport and buffers), and one
 * with checks starts it with the first check rather than before its first VRRP advert
 * (docs/benchmarks.md, start-up and footprint). Its timers: {@code new
 * NettyScheduler(lazy::eventLoopGroup)}.
 */
final class LazyNetty implements Prober, AutoCloseable {

  private final Supplier<NettyProber> factory;
  private volatile NettyProber prober; // null until the first use
  private boolean closed; // guarded by this

  LazyNetty(Supplier<NettyProber> factory) {
    this.factory = factory;
  }

  /** Whether the prober was made (tests). */
  boolean started() {
    return prober != null;
  }

  private NettyProber prober() {
    NettyProber p = prober;
    if (p == null) {
      synchronized (this) {
        if (closed) {
          throw new RejectedExecutionException("health monitor closed");
        }
        if (prober == null) {
          prober = factory.get();
        }
        p = prober;
      }
    }
    return p;
  }

  /**
   * The prober's event loop group, made now if need be.
   *
   * @throws RejectedExecutionException once closed
   */
  EventLoopGroup eventLoopGroup() {
    return prober().eventLoopGroup();
  }

  @Override
  public CompletableFuture<ProbeResult> probe(HealthCheckKey key) {
    NettyProber p;
    try {
      p = prober();
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(ProbeResult.failed(e.getMessage()));
    }
    return p.probe(key);
  }

  @Override
  public void close() {
    NettyProber p;
    synchronized (this) {
      closed = true;
      p = prober;
    }
    if (p != null) {
      p.close();
    }
  }
}
