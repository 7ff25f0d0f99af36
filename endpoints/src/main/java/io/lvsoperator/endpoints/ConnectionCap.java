package io.lvsoperator.endpoints;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * At most {@code max} open connections. One more closes the oldest connection that is waiting
 * (connected or between requests, see {@link RequestDeadline#isWaiting}); when every one is in the
 * middle of a request, the newcomer is closed instead. Refusing the newest instead would let a
 * crowd of idle clients keep every probe out until their timeouts.
 *
 * <p>Every channel of the server runs on its one event-loop thread, so plain collections do.
 */
@ChannelHandler.Sharable
final class ConnectionCap extends ChannelInboundHandlerAdapter {
  private final int max;
  private final Deque<Channel> open = new ArrayDeque<>();
  private volatile int count;
  private volatile long evicted;

  ConnectionCap(int max) {
    this.max = max;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    open.addLast(ctx.channel());
    if (open.size() > max) {
      Channel victim = oldestWaiting(ctx.channel());
      open.remove(victim);
      evicted++;
      victim.close();
    }
    count = open.size();
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    open.remove(ctx.channel());
    count = open.size();
    super.channelInactive(ctx);
  }

  private Channel oldestWaiting(Channel newcomer) {
    for (Iterator<Channel> it = open.iterator(); it.hasNext(); ) {
      Channel c = it.next();
      if (c != newcomer && RequestDeadline.isWaiting(c)) {
        return c;
      }
    }
    return newcomer;
  }

  int open() {
    return count;
  }

  long evicted() {
    return evicted;
  }
}
