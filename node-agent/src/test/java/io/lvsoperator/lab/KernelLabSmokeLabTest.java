package io.lvsoperator.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves the kernel lab itself: the guest's kernel has IPVS, and a service made with ipvsadm (the
 * independent oracle) shows up in both {@code ipvsadm -Ln} and {@code /proc/net/ip_vs}. Runs in a
 * namespace of its own, so it never sees or disturbs another test's services. Outside the lab (no
 * {@code /proc/net/ip_vs}) it is skipped.
 */
class KernelLabSmokeLabTest {

  private static final String SERVICE = "10.0.0.1:80";

  private String namespace;

  @BeforeEach
  void createNamespace() throws Exception {
    assumeTrue(
        Files.exists(Path.of("/proc/net/ip_vs")),
        "no IPVS in this kernel (/proc/net/ip_vs absent): lab tests run with lab/run test");
    namespace = "labsmoke" + ThreadLocalRandom.current().nextInt(100_000);
    run("ip", "netns", "add", namespace);
  }

  @AfterEach
  void deleteNamespace() throws Exception {
    if (namespace != null) {
      run("ip", "netns", "del", namespace);
    }
  }

  @Test
  void ipvsadmAddsListsAndDeletesAService() throws Exception {
    Result empty = inNamespace("ipvsadm", "-Ln");
    assertThat(empty.exitCode()).as("ipvsadm -Ln: %s", empty.output()).isZero();
    assertThat(empty.output()).contains("IP Virtual Server version").doesNotContain("TCP");

    Result add = inNamespace("ipvsadm", "-A", "-t", SERVICE, "-s", "rr");
    assertThat(add.exitCode()).as("ipvsadm -A: %s", add.output()).isZero();

    assertThat(inNamespace("ipvsadm", "-Ln").output()).containsPattern("TCP +10\\.0\\.0\\.1:80 rr");
    // The kernel's own table, in hex: 10.0.0.1 port 80.
    assertThat(inNamespace("cat", "/proc/net/ip_vs").output()).contains("TCP  0A000001:0050 rr");

    Result delete = inNamespace("ipvsadm", "-D", "-t", SERVICE);
    assertThat(delete.exitCode()).as("ipvsadm -D: %s", delete.output()).isZero();
    assertThat(inNamespace("ipvsadm", "-Ln").output()).doesNotContain("10.0.0.1:80");
  }

  @Test
  void everySchedulerTheProductOffersIsAvailable() throws Exception {
    for (String scheduler : List.of("rr", "wrr", "lc", "wlc", "sh", "mh")) {
      Result add = inNamespace("ipvsadm", "-A", "-t", SERVICE, "-s", scheduler);
      assertThat(add.exitCode()).as("ipvsadm -A -s %s: %s", scheduler, add.output()).isZero();
      assertThat(inNamespace("ipvsadm", "-Ln").output())
          .containsPattern("TCP +10\\.0\\.0\\.1:80 " + scheduler + "\\b");
      assertThat(inNamespace("ipvsadm", "-D", "-t", SERVICE).exitCode()).isZero();
    }
  }

  private Result inNamespace(String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(List.of(command));
    return run(full.toArray(String[]::new));
  }

  private static Result run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", command));
    }
    return new Result(process.exitValue(), output);
  }

  private record Result(int exitCode, String output) {}
}
