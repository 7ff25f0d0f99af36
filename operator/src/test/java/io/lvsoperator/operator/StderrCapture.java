package io.lvsoperator.operator;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Everything this JVM writes to standard error from the first use on, where the operator's log goes
 * (slf4j-simple writes to the current {@code System.err}), so a test can look for what must never
 * be logged. Output still reaches the real standard error. Keeps at most {@link #LIMIT} bytes;
 * beyond that {@link #since} says so.
 */
final class StderrCapture {
  static final int LIMIT = 64 * 1024 * 1024;

  private static final ByteArrayOutputStream CAPTURED = new ByteArrayOutputStream();
  private static boolean overflowed;

  static {
    PrintStream original = System.err;
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            original.write(b);
            synchronized (CAPTURED) {
              if (CAPTURED.size() < LIMIT) {
                CAPTURED.write(b);
              } else {
                overflowed = true;
              }
            }
          }

          @Override
          public void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            synchronized (CAPTURED) {
              if (CAPTURED.size() + len <= LIMIT) {
                CAPTURED.write(b, off, len);
              } else {
                overflowed = true;
              }
            }
          }

          @Override
          public void flush() {
            original.flush();
          }
        };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  private StderrCapture() {}

  /** Where the capture stands now. */
  static int mark() {
    synchronized (CAPTURED) {
      return CAPTURED.size();
    }
  }

  /** What was written since {@code mark}. */
  static String since(int mark) {
    synchronized (CAPTURED) {
      if (overflowed) {
        throw new IllegalStateException(
            "standard error exceeded " + LIMIT + " bytes: the log can no longer be checked");
      }
      byte[] all = CAPTURED.toByteArray();
      return new String(all, mark, all.length - mark, StandardCharsets.UTF_8);
    }
  }
}
