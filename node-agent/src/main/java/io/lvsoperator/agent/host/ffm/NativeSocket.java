package io.lvsoperator.agent.host.ffm;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A socket file descriptor that is safe to close from another thread: every operation holds the
 * read lock, close takes the write lock, so a descriptor number is never reused under a running
 * call. Receives always go through poll with a timeout, which bounds how long close waits.
 */
abstract class NativeSocket implements AutoCloseable {

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final String description;
  private final int fd;
  private boolean closed;

  NativeSocket(int fd, String description) {
    this.fd = fd;
    this.description = description;
  }

  /** Runs an operation on the open descriptor. */
  interface FdOperation<T> {
    T apply(int fd) throws NativeException;
  }

  final <T> T withFd(String op, FdOperation<T> operation) throws NativeException {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new NativeException(op + " on closed " + description, Errno.EBADF);
      }
      return operation.apply(fd);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Waits up to {@code timeoutMillis} (negative: forever) for data; true when readable. */
  final boolean awaitReadable(int fd, int timeoutMillis, String op) throws NativeException {
    short revents = Libc.pollIn(fd, timeoutMillis, op);
    if ((revents & Libc.POLLNVAL) != 0) {
      throw new NativeException(op, Errno.EBADF);
    }
    // POLLERR: the following receive reports the pending socket error.
    return revents != 0;
  }

  final String description() {
    return description;
  }

  public final boolean isClosed() {
    lock.readLock().lock();
    try {
      return closed;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Closes the descriptor; waits for a running poll (bounded by its timeout). Idempotent. */
  @Override
  public void close() throws NativeException {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      releaseResources();
      Libc.close(fd, "close(" + description + ")");
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Frees memory owned by the socket; called once, under the write lock, before close. */
  void releaseResources() {}

  @Override
  public String toString() {
    return description + "[fd=" + fd + (closed ? ", closed" : "") + "]";
  }
}
