package io.lvsoperator.endpoints;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that waits longer than the idle timeout for a request, or takes longer than
 * the read timeout to deliver one once it started. It sits before the HTTP decoder, so it sees the
 * first byte of each request; the router tells it when a request is complete ({@link #busy}) and
 * when its answer is written ({@link #waiting}).
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
  private static final AttributeKey<RequestDeadline> KEY = AttributeKey.valueOf("requestDeadline");

  private enum Phase {
    WAITING,
    READING,
    BUSY
  }

  private final long readNanos;
  private final long idleNanos;
  private Phase phase = Phase.WAITING;
  private ScheduledFuture<?> deadline;
  private ChannelHandlerContext ctx;

  RequestDeadline(Duration read, Duration idle) {
    this.readNanos = read.toNanos();
    this.idleNanos = idle.toNanos();
  }

  /** Whether {@code c} is between requests (or has not sent one yet): the cap may evict it. */
  static boolean isWaiting(Channel c) {
    RequestDeadline d = c.attr(KEY).get();
    return d == null || d.phase != Phase.BUSY;
  }

  /** A whole request arrived: no deadline while it is answered. */
  static void busy(Channel c) {
    RequestDeadline d = c.attr(KEY).get();
    if (d != null) {
      d.phase = Phase.BUSY;
      d.cancel();
    }
  }

  /** The answer is written and the connection stays open: the idle deadline runs again. */
  static void waiting(Channel c) {
    RequestDeadline d = c.attr(KEY).get();
    if (d != null && c.isActive()) {
      d.phase = Phase.WAITING;
      d.arm(d.idleNanos);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.channel().attr(KEY).set(this);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    arm(idleNanos);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (phase == Phase.WAITING) {
      phase = Phase.READING;
      arm(readNanos);
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  private void arm(long nanos) {
    cancel();
    deadline = ctx.executor().schedule(() -> ctx.close(), nanos, TimeUnit.NANOSECONDS);
  }

  private void cancel() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
