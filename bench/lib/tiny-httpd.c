/*
 * The real servers of the benchmarks (bench/checks-beside-keepalived, bench/agent-start NxM): one
 * process, one thread, epoll, that answers every address its namespace takes as local.
 *
 *   tiny-httpd PORT
 *
 * Each connection gets "HTTP/1.0 200 OK" and "ok" once its request's header has ended (an empty
 * line), then is closed; a connection that ends without sending anything (a TCP check) is closed.
 * Why not busybox httpd: it forks per connection, and 1,000 to 3,000 forks a second under the
 * kernel lab's emulated CPU would make the server, not the checkers, what a benchmark measures.
 * Built by the benchmarks with the system's cc into their work directory; no dependency.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FD 65536

/* Per connection: how much of "\r\n\r\n" the bytes read so far end with. */
static unsigned char matched[MAX_FD];

static const char RESPONSE[] =
    "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n";

static void finish(int epfd, int fd) {
  epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
  close(fd);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: tiny-httpd PORT\n");
    return 2;
  }
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
  if (bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(listener, 4096) != 0) {
    perror("tiny-httpd: bind/listen");
    return 1;
  }
  int epfd = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = listener};
  epoll_ctl(epfd, EPOLL_CTL_ADD, listener, &ev);
  struct epoll_event events[256];
  char buf[4096];
  for (;;) {
    int n = epoll_wait(epfd, events, 256, -1);
    if (n < 0 && errno != EINTR) {
      perror("tiny-httpd: epoll_wait");
      return 1;
    }
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd == listener) {
        int c;
        while ((c = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          if (c >= MAX_FD) {
            close(c);
            continue;
          }
          matched[c] = 0;
          struct epoll_event cev = {.events = EPOLLIN, .data.fd = c};
          epoll_ctl(epfd, EPOLL_CTL_ADD, c, &cev);
        }
        continue;
      }
      ssize_t r = read(fd, buf, sizeof buf);
      if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
        continue;
      }
      if (r <= 0) {
        finish(epfd, fd);
        continue;
      }
      for (ssize_t k = 0; k < r && matched[fd] < 4; k++) {
        char want = (matched[fd] % 2 == 0) ? '\r' : '\n';
        matched[fd] = buf[k] == want ? matched[fd] + 1 : (buf[k] == '\r' ? 1 : 0);
      }
      if (matched[fd] == 4) {
        /* One short write to a fresh socket's empty send buffer: all of it or an error. */
        ssize_t w = write(fd, RESPONSE, sizeof RESPONSE - 1);
        (void)w;
        finish(epfd, fd);
      }
    }
  }
}
