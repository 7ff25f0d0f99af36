package io.lvsoperator.endpoints;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers whole requests: GET on an exact path, else 405, 404 or 400. */
@ChannelHandler.Sharable
final class Router extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private final Map<String, Supplier<Response>> routes;

  Router(Map<String, Supplier<Response>> routes) {
    this.routes = routes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    RequestDeadline.busy(ctx.channel());
    Response answer;
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (request.decoderResult().isFailure()) {
      answer = Response.text(400, "bad request\n");
      keepAlive = false;
    } else if (!HttpMethod.GET.equals(request.method())) {
      answer = Response.text(405, "only GET\n");
    } else {
      String uri = request.uri();
      int query = uri.indexOf('?');
      Supplier<Response> route = routes.get(query < 0 ? uri : uri.substring(0, query));
      answer = route == null ? Response.text(404, "not found\n") : answer(route);
    }
    write(ctx, answer, keepAlive, answer.status() == 405);
  }

  private static Response answer(Supplier<Response> route) {
    try {
      return route.get();
    } catch (RuntimeException e) {
      log.warn("event=http_endpoint_failed error=\"{}\"", e.toString());
      return Response.text(500, "error\n");
    }
  }

  private static void write(
      ChannelHandlerContext ctx, Response answer, boolean keepAlive, boolean allowGet) {
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()),
            Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (allowGet) {
      response.headers().set(HttpHeaderNames.ALLOW, "GET");
    }
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(response)
          .addListener(
              f -> {
                if (f.isSuccess()) {
                  RequestDeadline.waiting(ctx.channel());
                } else {
                  ctx.close();
                }
              });
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a reset by the peer, a decoder failure: nothing worth a log line each time
  }
}
