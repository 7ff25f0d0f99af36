package io.lvsoperator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs host commands (ip, sysctl, tcpdump...) for integration tests: the test-side oracle, and how
 * {@link NetnsLab} builds its namespaces.
 */
public final class HostCommands {

  private HostCommands() {}

  /** The result of one command. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** Runs a command, waits up to 30 s, returns its outcome whatever the exit code. */
  public static Result run(String... command) {
    try {
      Process p = new ProcessBuilder(command).start();
      p.getOutputStream().close();
      // Drain both pipes while the command runs: a full pipe would block it.
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        },
        runnable -> Thread.ofPlatform().daemon(true).start(runnable));
  }

  /** Runs a command that must succeed; returns its stdout. */
  public static String check(String... command) {
    Result r = run(command);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited " + r.exitCode() + ": " + r.stderr().strip());
    }
    return r.stdout();
  }

  /** Runs a command; its stdout and stderr together, whatever the exit code (for assertions). */
  public static String output(String... command) {
    Result r = run(command);
    return r.stdout() + r.stderr();
  }

  /** Runs a command and ignores failure (cleanup). */
  public static void quietly(String... command) {
    try {
      run(command);
    } catch (RuntimeException ignored) {
      // Cleanup must go on.
    }
  }

  /** Whether we run as root (network namespaces, raw sockets, interfaces). */
  public static boolean isRoot() {
    try {
      return check("id", "-u").strip().equals("0");
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Whether {@code tool} is on the PATH. */
  public static boolean hasTool(String tool) {
    return run("sh", "-c", "command -v " + tool).exitCode() == 0;
  }

  /** A short unique name: prefix plus 5 random hex digits (interface names stay under 16). */
  public static String uniqueName(String prefix) {
    return prefix
        + Integer.toHexString(0x100000 + ThreadLocalRandom.current().nextInt(0xfffff)).substring(1);
  }

  /** Splits a command line on spaces (no quoting needed for ip commands). */
  public static List<String> words(String line) {
    return List.of(line.trim().split("\\s+"));
  }
}
